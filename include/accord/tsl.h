/* accord/tsl.h — public API: making a trusted list (ETSI TS 119 612) that an organisation
 * gives its partners, so that their DigiDoc, DSS or accord trusts its CA, TSA and OCSP
 * responder. Reading lists is part of verification (accord/verify.h: tsl, tsl_certs). */
#ifndef ACCORD_TSL_API_H
#define ACCORD_TSL_API_H
#include <stddef.h>
#include "accord/error.h"
#include "accord/sign.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct accord_tsl_make_options {
	const char *const *ca;        /* CA certificate files: CA/PKC services (CA/QC when qualified) */
	size_t n_ca;
	const char *const *tsa;       /* TSA certificate files: TSA services (TSA/QTST) */
	size_t n_tsa;
	const char *const *ocsp;      /* OCSP responder certificate files: Certstatus/OCSP (/QC) */
	size_t n_ocsp;
	int qualified;                /* qualified service types, and on every CA service the
	                                 ecc:Qualifications QCStatement + QCWithQSCD */
	const char *territory;        /* SchemeTerritory, two letters (default "EU") */
	const char *operator_name;    /* scheme operator and TSP name (default: the signer's CN) */
	unsigned next_update_days;    /* NextUpdate after this many days (default 180) */
} accord_tsl_make_options;

/* Write a trusted list to out, signed by signer with an enveloped XML signature (exclusive
 * C14N, the signer's certificate in KeyInfo). One service per certificate, granted since
 * the certificate's notBefore. The TSLSequenceNumber follows that of a list already at
 * out. Atomic: temporary file, fsync, rename. */
int accord_tsl_make(const char *out, accord_signer *signer, const accord_tsl_make_options *opt,
		    accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif

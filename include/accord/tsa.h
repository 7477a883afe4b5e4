/* accord/tsa.h — public API: an RFC 3161 timestamp authority (files or HTTP), its HTTP
 * client, and the verdict on a timestamp token. */
#ifndef ACCORD_TSA_H
#define ACCORD_TSA_H
#include <stddef.h>
#include <time.h>
#include "accord/error.h"
#include "accord/keys.h"
#include "accord/indication.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Policy written into a new TSA's tsa.conf unless changed there: a placeholder under
 * IANA enterprise number 32473, reserved for documentation and examples (RFC 5612).
 * An operator puts the policy OID of their own arc into tsa.conf. */
#define ACCORD_TSA_DEFAULT_POLICY "1.3.6.1.4.1.32473.1.1"

/* The verdict on one timestamp token (RFC 3161 TimeStampToken), in the vocabulary of
 * ETSI EN 319 102-1. Fields are filled as far as the token could be read, also when it
 * is not valid. Release with accord_tst_result_clear. */
typedef struct accord_tst_result {
	int valid;                  /* 1: every check passed */
	accord_subindication sub_indication; /* ACCORD_SUB_NONE when valid, else:
	 * FORMAT_FAILURE          malformed token or TSTInfo
	 * SIGNED_DATA_NOT_FOUND   not a CMS SignedData
	 * HASH_FAILURE            messageImprint differs from the expected data
	 * SIG_CRYPTO_FAILURE      the CMS signature does not verify
	 * SIG_CONSTRAINTS_FAILURE the nonce differs from the request's
	 * NO_SIGNING_CERTIFICATE_FOUND no TSA certificate, or ESS signingCertificate(V2)
	 *                         missing or not matching it
	 * NO_CERTIFICATE_CHAIN_FOUND no path from the TSA certificate to a trust anchor
	 * CRYPTO_CONSTRAINTS_FAILURE(_NO_POE) an algorithm or key the crypto policy refuses
	 * REVOKED_NO_POE          the TSA certificate (or one of its path) was revoked
	 * OUT_OF_BOUNDS_NO_POE    genTime before a certificate of the path became valid
	 * EXPIRED                 genTime after a certificate of the path expired
	 * CHAIN_CONSTRAINTS_FAILURE any other fault of the path: the TSA certificate's EKU
	 *                         is not a critical timeStamping-only extension, a
	 *                         certificate of the path may not issue, its revocation
	 *                         status at genTime is not known */
	char reason[512];           /* one line for people */
	time_t gen_time;            /* genTime (fraction dropped) */
	char gen_time_text[40];     /* genTime as written in the token */
	char policy[128];           /* policy OID, dotted */
	char serial_hex[80];        /* serialNumber, lower-case hex without leading zeros */
	int has_accuracy;
	unsigned accuracy_seconds, accuracy_millis, accuracy_micros;
	int has_nonce;
	char nonce_hex[80];
	char imprint_alg[16];       /* "SHA256", ... (GnuTLS name) */
	unsigned char *tsa_cert_der;/* the TSA certificate (DER; accord_tst_result_clear frees it), NULL if unknown */
	size_t tsa_cert_der_len;
	char tsa_name[256];         /* CN of the TSA certificate */
} accord_tst_result;

/* Frees what r holds (tsa_cert_der) and zeroes it; r itself is the caller's. */
void accord_tst_result_clear(accord_tst_result *r);

typedef struct accord_tsa accord_tsa;

/* Create a TSA in folder DIR (created if missing, must be empty of TSA files):
 * tsa.key (encrypted PKCS#8, mode 0600), tsa.crt (critical EKU timeStamping, subject
 * opt->id, issued by opt->ca when given, else self-signed), chain.pem (the CA
 * certificate, when CA-issued), tsa.conf (policy, accuracy, hash), serial (random 64-bit
 * prefix + counter). Nothing of opt is kept. */
int accord_tsa_init(const char *dir, const accord_service_init_options *opt,
		    accord_error *err) ACCORD_WUR;

/* Open the TSA in DIR with the key's passphrase; *out is the caller's, released with
 * accord_tsa_free. */
int accord_tsa_open(const char *dir, const char *passphrase, accord_tsa **out,
		    accord_error *err) ACCORD_WUR;
void accord_tsa_free(accord_tsa *tsa);

/* Answer one DER TimeStampReq. Always produces a TimeStampResp (*resp, released with
 * accord_free): a
 * token for a good request, a rejection (badRequest, badAlg, badDataFormat,
 * unacceptedPolicy, unacceptedExtension with failInfo) for a bad one. An error code
 * only when no answer can be made (out of memory, the serial file cannot be written,
 * the key cannot sign: a rejection with systemFailure is then not possible either).
 * Thread-safe: concurrent calls are serialised. */
int accord_tsa_respond(accord_tsa *tsa, const unsigned char *req, size_t len,
		       unsigned char **resp, size_t *resp_len, accord_error *err) ACCORD_WUR;

/* File mode: read REQUEST (DER TimeStampReq), write the reply to REPLY atomically
 * (refused if REPLY exists unless overwrite). A rejected request still gets its
 * rejection reply written; the call then returns ACCORD_ERR_FORMAT naming the reason. */
int accord_tsa_stamp_file(accord_tsa *tsa, const char *request_path, const char *reply_path,
			  int overwrite, accord_error *err) ACCORD_WUR;

/* Called once the server listens (with the actual "ADDR:PORT"), before serving. */
typedef void (*accord_tsa_ready_fn)(const char *listen, void *ud);
void accord_tsa_set_ready_callback(accord_tsa *tsa, accord_tsa_ready_fn fn, void *ud);

/* Serve RFC 3161 over HTTP on LISTEN ("127.0.0.1:3180"; port 0 picks a free port,
 * see the ready callback) until SIGINT or SIGTERM arrives: POST with Content-Type
 * application/timestamp-query gets 200 application/timestamp-reply; other methods 405,
 * other types 415, bodies over 64 KiB 413. Blocks those signals in the calling thread
 * while it runs. */
int accord_tsa_serve(accord_tsa *tsa, const char *listen, accord_error *err) ACCORD_WUR;

/* HTTP client: POST REQ to URL as application/timestamp-query (30 s timeout, replies
 * over 1 MiB refused); *reply is released with accord_free. Thread-safe. A status other than 200 or a wrong
 * Content-Type gives ACCORD_ERR_NETWORK naming it. */
int accord_tsa_http_query(const char *url, const unsigned char *req, size_t len,
			  unsigned char **reply, size_t *reply_len, accord_error *err) ACCORD_WUR;

/* Where accord_tsa_verify_reply finds the TSA's path. */
typedef struct accord_tsa_verify_options {
	const char *const *trust;     /* trust anchors: certificate files or folders */
	size_t n_trust;
	int use_store;                /* the trust store's anchors too */
	const char *const *untrusted; /* extra certificates to build the path with */
	size_t n_untrusted;
} accord_tsa_verify_options;

/* Verify a TimeStampResp file (or a bare token) over DATA_PATH: imprint, signature,
 * ESS binding, TSA certificate path to the anchors opt names, as of genTime.
 * ACCORD_OK with out->valid 0/1 for a judged token; out is then emptied with
 * accord_tst_result_clear (also after an error). */
int accord_tsa_verify_reply(const char *reply_path, const char *data_path,
			    const accord_tsa_verify_options *opt, accord_tst_result *out,
			    accord_error *err) ACCORD_WUR;

#ifdef __cplusplus
}
#endif
#endif

/* cli/help.h — the one help format of every verb and sub-verb (issue #11), and the
 * lines of the Options table that several verbs share, written once:
 *
 *   usage: accord VERB ARGS [OPTIONS]      (required plain, optional in [ ])
 *
 *   One or two sentences: what it does.
 *
 *   Options:
 *     -o, --out FILE           one line each ("(required)" when it is); the text at
 *                              column 28, continued there
 *         --rsa-pss            ...
 *
 *   Notes in prose: behaviour, exit codes, examples.
 *
 * tests/cli/help.sh checks that every long option the parser takes (`--list-options`)
 * has its line in the table, and that no optional option is plain in the usage line. */
#ifndef ACCORD_CLI_HELP_H
#define ACCORD_CLI_HELP_H

#define HELP_OPTIONS "\nOptions:\n"
#define HELP_HELP "  -h, --help               this help\n"
/* Progress (util/progress.c) shows only on a terminal. */
#define HELP_QUIET "  -q, --quiet              no progress on the terminal\n"

/* The key and its passphrase. */
#define HELP_PASSFILE                                                                       \
	"      --passphrase-file F  the key's passphrase (or token PIN), the whole file\n" \
	"                           less one final newline; default: ACCORD_PASSPHRASE,\n"  \
	"                           else asked on the terminal\n"
#define HELP_CA_PASSFILE                                                                    \
	"      --ca-passphrase-file F  the CA key's passphrase; default:\n"                 \
	"                           ACCORD_CA_PASSPHRASE, else as for the other key\n"
#define HELP_WEAK                                                                           \
	"      --weak-passphrase    allow a new key's passphrase under 8 characters\n"
#define HELP_CA_KEY_CERT(req)                                                               \
	"      --ca-key K           the CA's private key" req "\n"                          \
	"      --ca-cert C          the CA's certificate" req "\n"

/* Trust anchors and revocation evidence. */
#define HELP_TRUST                                                                          \
	"      --trust FILE|DIR     a trust anchor besides the trust store: a CA\n"         \
	"                           certificate, a PEM bundle or a folder of them;\n"     \
	"                           repeatable\n"
#define HELP_NO_TRUST_STORE                                                                 \
	"      --no-trust-store     leave the trust store out (only --trust counts)\n"
#define HELP_CRL                                                                            \
	"      --crl FILE           a CRL file (PEM, every CRL of a bundle, or DER);\n"    \
	"                           repeatable\n"
#define HELP_OCSP_FILE                                                                      \
	"      --ocsp FILE          a DER OCSP response (revocation data); repeatable\n"
#define HELP_ALLOW_SHA1                                                                     \
	"      --allow-sha1         accept SHA-1 in digests and signatures (weak; MD5 is\n" \
	"                           never accepted)\n"

/* Timestamp authority and OCSP responder, remote or local. */
#define HELP_TSA                                                                            \
	"      --tsa URL            timestamp with this RFC 3161 TSA over HTTP\n"          \
	"      --tsa-dir DIR        timestamp with the local TSA in DIR (tsa init)\n" \
	"      --tsa-passphrase-file F  the passphrase of DIR's TSA key\n"
#define HELP_OCSP_SERVICE                                                                   \
	"      --ocsp URL           ask this OCSP responder over HTTP about the signer\n"  \
	"      --ocsp-dir DIR       ask the local responder in DIR (ocsp init)\n"    \
	"      --ocsp-passphrase-file F  the passphrase of DIR's responder key\n"

/* Limits against hostile containers (list, extract, verify). */
#define HELP_LIMITS                                                                         \
	"      --max-entries N      at most N entries in the package (default 100000)\n"                    \
	"      --max-size BYTES     at most BYTES per entry, uncompressed (default 4G)\n"  \
	"      --max-total BYTES    at most BYTES for all entries (default 16G)\n"         \
	"      --max-ratio N        at most N:1 compression per entry over 64K\n"          \
	"                           (default 1000)\n"

/* The words after a service's options: where its passphrases come from. */
#define HELP_SERVICE_PASSPHRASES                                                            \
	"The key's passphrase comes from --passphrase-file, ACCORD_PASSPHRASE or the\n" \
	"terminal; the CA key's from --ca-passphrase-file, ACCORD_CA_PASSPHRASE, else\n" \
	"the same. Passphrase rules: see accord keys generate --help.\n"

#endif

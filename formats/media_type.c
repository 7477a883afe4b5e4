/* formats/media_type.c — media types guessed from file names, and which files are
 * already compressed (stored rather than deflated when packing). */
#include <string.h>
#include <strings.h>
#include "formats/container.h"

static const struct media_type {
	const char *ext;
	const char *type;
	int compressed; /* deflating again gains nothing: the payload is already compressed */
} media_types[] = {
	{"txt", "text/plain", 0},
	{"md", "text/markdown", 0},
	{"csv", "text/csv", 0},
	{"html", "text/html", 0},
	{"htm", "text/html", 0},
	{"xml", "application/xml", 0},
	{"json", "application/json", 0},
	{"rtf", "application/rtf", 0},
	/* PDF is deflated: its object structure, xref tables and any uncompressed streams
	 * still shrink, and inflating costs the reader almost nothing. */
	{"pdf", "application/pdf", 0},
	{"doc", "application/msword", 0},
	{"xls", "application/vnd.ms-excel", 0},
	{"ppt", "application/vnd.ms-powerpoint", 0},
	{"eml", "message/rfc822", 0},
	{"svg", "image/svg+xml", 0},
	{"bmp", "image/bmp", 0},
	{"tif", "image/tiff", 0},
	{"tiff", "image/tiff", 0},
	{"pem", "application/x-pem-file", 0},
	{"crt", "application/pkix-cert", 1},
	{"cer", "application/pkix-cert", 1},
	{"crl", "application/pkix-crl", 1},
	{"p7s", "application/pkcs7-signature", 1},
	{"asc", "application/pgp-signature", 0},
	{"tar", "application/x-tar", 0},
	/* Zip-based and compressed formats: stored as they are. */
	{"odt", "application/vnd.oasis.opendocument.text", 1},
	{"ods", "application/vnd.oasis.opendocument.spreadsheet", 1},
	{"odp", "application/vnd.oasis.opendocument.presentation", 1},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 1},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 1},
	{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 1},
	{"epub", "application/epub+zip", 1},
	{"zip", "application/zip", 1},
	{"asice", "application/vnd.etsi.asic-e+zip", 1},
	{"sce", "application/vnd.etsi.asic-e+zip", 1},
	{"bdoc", "application/vnd.etsi.asic-e+zip", 1},
	{"asics", "application/vnd.etsi.asic-s+zip", 1},
	{"jar", "application/java-archive", 1},
	{"gz", "application/gzip", 1},
	{"tgz", "application/gzip", 1},
	{"bz2", "application/x-bzip2", 1},
	{"xz", "application/x-xz", 1},
	{"zst", "application/zstd", 1},
	{"7z", "application/x-7z-compressed", 1},
	{"rar", "application/vnd.rar", 1},
	{"png", "image/png", 1},
	{"jpg", "image/jpeg", 1},
	{"jpeg", "image/jpeg", 1},
	{"gif", "image/gif", 1},
	{"webp", "image/webp", 1},
	{"heic", "image/heic", 1},
	{"mp3", "audio/mpeg", 1},
	{"ogg", "audio/ogg", 1},
	{"mp4", "video/mp4", 1},
	{"webm", "video/webm", 1},
	{"mov", "video/quicktime", 1},
};

static const struct media_type *media_type_find(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash + 1 : name, '.');

	if (!dot || !dot[1])
		return NULL;
	for (size_t i = 0; i < sizeof media_types / sizeof media_types[0]; i++)
		if (strcasecmp(dot + 1, media_types[i].ext) == 0)
			return &media_types[i];
	return NULL;
}

const char *accord_media_type_guess(const char *name)
{
	const struct media_type *m = media_type_find(name);

	return m ? m->type : "application/octet-stream";
}

int accord_media_type_is_compressed(const char *name)
{
	const struct media_type *m = media_type_find(name);

	return m ? m->compressed : 0;
}

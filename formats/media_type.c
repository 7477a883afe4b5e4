/* formats/media_type.c — media types guessed from file names (what pack stores or
 * deflates is decided by content: formats/pack_input.c). */
#include <string.h>
#include <strings.h>
#include "formats/container.h"

static const struct media_type {
	const char *ext;
	const char *type;
} media_types[] = {
	{"txt", "text/plain"},
	{"md", "text/markdown"},
	{"csv", "text/csv"},
	{"html", "text/html"},
	{"htm", "text/html"},
	{"xml", "application/xml"},
	{"json", "application/json"},
	{"rtf", "application/rtf"},
	{"pdf", "application/pdf"},
	{"doc", "application/msword"},
	{"xls", "application/vnd.ms-excel"},
	{"ppt", "application/vnd.ms-powerpoint"},
	{"eml", "message/rfc822"},
	{"svg", "image/svg+xml"},
	{"bmp", "image/bmp"},
	{"tif", "image/tiff"},
	{"tiff", "image/tiff"},
	{"pem", "application/x-pem-file"},
	{"crt", "application/pkix-cert"},
	{"cer", "application/pkix-cert"},
	{"crl", "application/pkix-crl"},
	{"p7s", "application/pkcs7-signature"},
	{"asc", "application/pgp-signature"},
	{"tar", "application/x-tar"},
	{"odt", "application/vnd.oasis.opendocument.text"},
	{"ods", "application/vnd.oasis.opendocument.spreadsheet"},
	{"odp", "application/vnd.oasis.opendocument.presentation"},
	{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	{"epub", "application/epub+zip"},
	{"zip", "application/zip"},
	{"asice", "application/vnd.etsi.asic-e+zip"},
	{"sce", "application/vnd.etsi.asic-e+zip"},
	{"bdoc", "application/vnd.etsi.asic-e+zip"},
	{"asics", "application/vnd.etsi.asic-s+zip"},
	{"jar", "application/java-archive"},
	{"gz", "application/gzip"},
	{"tgz", "application/gzip"},
	{"bz2", "application/x-bzip2"},
	{"xz", "application/x-xz"},
	{"zst", "application/zstd"},
	{"7z", "application/x-7z-compressed"},
	{"rar", "application/vnd.rar"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"heic", "image/heic"},
	{"mp3", "audio/mpeg"},
	{"ogg", "audio/ogg"},
	{"mp4", "video/mp4"},
	{"webm", "video/webm"},
	{"mov", "video/quicktime"},
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


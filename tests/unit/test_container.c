/* tests/unit/test_container.c — ASiC-E containers: pack/open round trip against
 * independent hashes, the mimetype bytes, raw copies on rewrite, atomic failures,
 * descriptor and manifest round trips, extraction that never follows a symlink. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gcrypt.h>
#include <zip.h>
#include "unit.h"
#include "formats/container.h"

static char dir[256];

static void setup_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/accord-unit-container.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void cleanup_dir(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *in_dir(const char *name)
{
	static char buf[64][512];
	static int k;
	k = (k + 1) % 64;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

static unsigned char *read_all(const char *path, size_t *len)
{
	unsigned char *buf = NULL;
	accord_error err;
	ck_assert_int_eq(accord_file_read(path, 1u << 30, &buf, len, &err), ACCORD_OK);
	return buf;
}

/* Files in dir other than the expected ones: temporaries left behind. */
static int count_tmp_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, "accord-tmp") || strstr(de->d_name, ".asice."))
			n++;
	closedir(d);
	return n;
}

static char out_path[512];

static const char *make_docs(void)
{
	static unsigned char big[200000];
	const char *text = "We, the undersigned CSIRTs, agree to share indicators.\n";
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 8));
	char long_text[1200];
	for (size_t i = 0; i + strlen(text) < sizeof long_text; i += strlen(text))
		memcpy(long_text + i, text, strlen(text) + 1);
	write_file(in_dir("agreement.txt"), long_text, strlen(long_text));
	write_file(in_dir("data.bin"), big, sizeof big);
	memcpy(big, "\x89PNG\r\n\x1a\n", 8); /* stored: a PNG by its first bytes */
	write_file(in_dir("logo.png"), big, 5000);
	snprintf(out_path, sizeof out_path, "%s", in_dir("out.asice"));
	return out_path;
}

static int pack_default(const char *out)
{
	const char *files[] = {in_dir("agreement.txt"), in_dir("data.bin"), in_dir("logo.png")};
	accord_pack_options opt;
	accord_error err;
	memset(&opt, 0, sizeof opt);
	opt.title = "Cooperation agreement";
	opt.reference = "CSIRT-2026-01";
	return accord_pack(out, files, 3, &opt, &err);
}

START_TEST(pack_open_round_trip_hashes_match_gcrypt)
{
	accord_container *c = NULL;
	accord_error err;
	const char *names[] = {"agreement.txt", "data.bin", "logo.png"};
	const char *out;

	setup_dir();
	out = make_docs();
	ck_assert_int_eq(pack_default(out), ACCORD_OK);
	ck_assert_int_eq(accord_container_open(out, NULL, &c, &err), ACCORD_OK);
	ck_assert_uint_eq(accord_container_document_count(c), 4);
	ck_assert_int_eq(accord_container_hash_extra(c, &err), ACCORD_OK);
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		unsigned char *data = read_all(in_dir(names[i]), &len), h[64];
		const accord_document *d = accord_container_document(c, i);
		const accord_entry *e = accord_container_find(c, names[i]);
		ck_assert_str_eq(d->name, names[i]);
		ck_assert_uint_eq(d->size, len);
		ck_assert_ptr_nonnull(e);
		gcry_md_hash_buffer(GCRY_MD_SHA256, h, data, len);
		ck_assert_mem_eq(d->sha256, h, 32);
		ck_assert_ptr_nonnull(e->extra);
		gcry_md_hash_buffer(GCRY_MD_SHA384, h, data, len);
		ck_assert_mem_eq(e->extra, h, 48);
		gcry_md_hash_buffer(GCRY_MD_SHA512, h, data, len);
		ck_assert_mem_eq(e->extra + 48, h, 64);
		free(data);
	}
	ck_assert_str_eq(accord_container_document(c, 0)->media_type, "text/plain");
	ck_assert_str_eq(accord_container_document(c, 2)->media_type, "image/png");
	ck_assert_str_eq(accord_container_document(c, 3)->name, ACCORD_DESCRIPTOR_NAME);
	ck_assert_str_eq(accord_container_document(c, 3)->media_type, ACCORD_DESCRIPTOR_MEDIA_TYPE);
	ck_assert_int_eq(accord_container_document(c, 3)->is_descriptor, 1);
	ck_assert_ptr_nonnull(accord_container_descriptor(c));
	ck_assert_str_eq(accord_container_descriptor(c)->title, "Cooperation agreement");
	ck_assert_str_eq(accord_container_descriptor(c)->reference, "CSIRT-2026-01");
	ck_assert_int_eq(accord_container_descriptor(c)->kind, ACCORD_KIND_AGREEMENT);
	ck_assert_uint_eq(accord_container_signature_file_count(c), 0);
	accord_container_free(c);
	cleanup_dir();
}
END_TEST

START_TEST(pack_writes_mimetype_at_byte_30_stored_without_extra)
{
	unsigned char *b;
	size_t len;
	zip_t *z;
	zip_stat_t st;
	int zerr;
	const char *out;

	setup_dir();
	out = make_docs();
	ck_assert_int_eq(pack_default(out), ACCORD_OK);
	b = read_all(out, &len);
	ck_assert_uint_gt(len, 69);
	ck_assert_mem_eq(b, "PK\x03\x04", 4);
	ck_assert_int_eq(b[6] & 0x09, 0);              /* not encrypted, no data descriptor */
	ck_assert_int_eq(b[8] | (b[9] << 8), 0);       /* stored */
	ck_assert_int_eq(b[26] | (b[27] << 8), 8);     /* name length */
	ck_assert_int_eq(b[28] | (b[29] << 8), 0);     /* no extra field */
	ck_assert_mem_eq(b + 30, "mimetype", 8);
	ck_assert_mem_eq(b + 38, ACCORD_MIMETYPE, 31);
	ck_assert_mem_eq(b + 69, "PK\x03\x04", 4);     /* next entry right after */
	free(b);
	/* Documents: text that compresses deflated, a PNG (by its first bytes) stored; the
	 * manifest last and deflated. */
	z = zip_open(out, ZIP_RDONLY, &zerr);
	ck_assert_ptr_nonnull(z);
	ck_assert_int_eq(zip_stat(z, "agreement.txt", 0, &st), 0);
	ck_assert_int_eq(st.comp_method, ZIP_CM_DEFLATE);
	ck_assert_int_eq(zip_stat(z, "logo.png", 0, &st), 0);
	ck_assert_int_eq(st.comp_method, ZIP_CM_STORE);
	ck_assert_str_eq(zip_get_name(z, 4, 0), ACCORD_DESCRIPTOR_NAME);
	ck_assert_str_eq(zip_get_name(z, 5, 0), "META-INF/manifest.xml");
	zip_discard(z);
	cleanup_dir();
}
END_TEST

START_TEST(pack_refuses_overwrite_and_leaves_no_temporary)
{
	const char *files[] = {NULL, NULL};
	accord_pack_options opt;
	accord_error err;
	unsigned char *b;
	size_t len;
	const char *out;

	setup_dir();
	out = make_docs();
	write_file(out, "precious", 8);
	memset(&opt, 0, sizeof opt);
	files[0] = in_dir("agreement.txt");
	ck_assert_int_eq(accord_pack(out, files, 1, &opt, &err), ACCORD_ERR_EXISTS);
	b = read_all(out, &len);
	ck_assert_uint_eq(len, 8);
	ck_assert_mem_eq(b, "precious", 8);
	free(b);
	/* A missing document: nothing written, nothing left behind. */
	opt.force = 1;
	files[1] = in_dir("missing.txt");
	ck_assert_int_eq(accord_pack(out, files, 2, &opt, &err), ACCORD_ERR_NOTFOUND);
	b = read_all(out, &len);
	ck_assert_mem_eq(b, "precious", 8);
	free(b);
	/* Two documents with the same base name, and names differing only by case. */
	mkdir(in_dir("sub"), 0755);
	write_file(in_dir("sub/agreement.txt"), "x", 1);
	write_file(in_dir("AGREEMENT.txt"), "y", 1);
	files[1] = in_dir("sub/agreement.txt");
	ck_assert_int_eq(accord_pack(out, files, 2, &opt, &err), ACCORD_ERR_USAGE);
	files[1] = in_dir("AGREEMENT.txt");
	ck_assert_int_eq(accord_pack(out, files, 2, &opt, &err), ACCORD_ERR_USAGE);
	ck_assert_int_eq(count_tmp_files(), 0);
	/* A stale temporary of a killed run is cleaned up; --force replaces. */
	write_file(in_dir(".out.asice.accord-tmp-ABCDEF"), "stale", 5);
	ck_assert_int_eq(accord_pack(out, files, 1, &opt, &err), ACCORD_OK);
	ck_assert_int_eq(count_tmp_files(), 0);
	b = read_all(out, &len);
	ck_assert_mem_eq(b, "PK\x03\x04", 4);
	free(b);
	cleanup_dir();
}
END_TEST

START_TEST(pack_refuses_bad_quorum_and_reserved_names)
{
	const char *files[1];
	accord_pack_options opt;
	accord_error err;

	setup_dir();
	make_docs();
	memset(&opt, 0, sizeof opt);
	opt.quorum = 1; /* no parties */
	files[0] = in_dir("agreement.txt");
	ck_assert_int_eq(accord_pack(in_dir("q.asice"), files, 1, &opt, &err), ACCORD_ERR_USAGE);
	opt.quorum = 0;
	write_file(in_dir("mimetype"), "x", 1);
	files[0] = in_dir("mimetype");
	ck_assert_int_eq(accord_pack(in_dir("q.asice"), files, 1, &opt, &err), ACCORD_ERR_USAGE);
	ck_assert_int_ne(access(in_dir("q.asice"), F_OK), 0);
	cleanup_dir();
}
END_TEST

/* Raw (compressed) bytes and CRC of every entry, by name. */
typedef struct raw_copy {
	char name[128];
	unsigned char *data;
	zip_int64_t len;
	zip_uint32_t crc;
	zip_uint16_t method;
} raw_copy;

static size_t raw_entries(const char *path, raw_copy *out, size_t max)
{
	int zerr;
	zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
	zip_int64_t n;
	ck_assert_ptr_nonnull(z);
	n = zip_get_num_entries(z, 0);
	ck_assert_int_le(n, (zip_int64_t)max);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_file_t *f;
		ck_assert_int_eq(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
		snprintf(out[i].name, sizeof out[i].name, "%s", st.name);
		out[i].len = (zip_int64_t)st.comp_size;
		out[i].crc = st.crc;
		out[i].method = st.comp_method;
		out[i].data = malloc((size_t)st.comp_size + 1);
		f = zip_fopen_index(z, (zip_uint64_t)i, ZIP_FL_COMPRESSED);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(zip_fread(f, out[i].data, st.comp_size), (zip_int64_t)st.comp_size);
		zip_fclose(f);
	}
	zip_discard(z);
	return (size_t)n;
}

static void raw_free(raw_copy *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].data);
}

START_TEST(add_entries_copies_existing_entries_raw_and_is_atomic)
{
	raw_copy before[16], after[16];
	size_t nb, na;
	accord_new_entry sig = {"META-INF/signatures0.xml", (const unsigned char *)"<sig>0</sig>", 12};
	accord_container *c = NULL;
	accord_error err;
	char next[64];
	unsigned char *b1, *b2;
	size_t l1, l2;
	const char *out;

	setup_dir();
	out = make_docs();
	ck_assert_int_eq(pack_default(out), ACCORD_OK);
	nb = raw_entries(out, before, 16);
	ck_assert_int_eq(accord_container_add_entries(out, &sig, 1, &err), ACCORD_OK);
	na = raw_entries(out, after, 16);
	ck_assert_uint_eq(na, nb + 1);
	for (size_t i = 0; i < nb; i++) {
		ck_assert_str_eq(after[i].name, before[i].name);
		ck_assert_int_eq(after[i].method, before[i].method);
		ck_assert_uint_eq(after[i].crc, before[i].crc);
		ck_assert_int_eq(after[i].len, before[i].len);
		ck_assert_mem_eq(after[i].data, before[i].data, (size_t)before[i].len);
	}
	ck_assert_str_eq(after[nb].name, "META-INF/signatures0.xml");
	ck_assert_int_eq(after[nb].method, ZIP_CM_DEFLATE);
	raw_free(before, nb);
	raw_free(after, na);
	/* Still a conformant container: mimetype first and stored, bytes 30 and 38. */
	b1 = read_all(out, &l1);
	ck_assert_mem_eq(b1 + 30, "mimetype", 8);
	ck_assert_mem_eq(b1 + 38, ACCORD_MIMETYPE, 31);
	ck_assert_int_eq(b1[28] | (b1[29] << 8), 0);
	ck_assert_int_eq(accord_container_open(out, NULL, &c, &err), ACCORD_OK);
	ck_assert_uint_eq(accord_container_signature_file_count(c), 1);
	ck_assert_str_eq(accord_container_signature_file_name(c, 0), "META-INF/signatures0.xml");
	ck_assert_int_eq(accord_container_next_signature_name(c, next, sizeof next), ACCORD_OK);
	ck_assert_str_eq(next, "META-INF/signatures1.xml");
	accord_container_free(c);
	/* The same name again: refused, and the file is byte-identical. */
	ck_assert_int_eq(accord_container_add_entries(out, &sig, 1, &err), ACCORD_ERR_EXISTS);
	b2 = read_all(out, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_mem_eq(b1, b2, l1);
	ck_assert_int_eq(count_tmp_files(), 0);
	/* A data file cannot be slipped in without the manifest. */
	accord_new_entry data = {"evil.txt", (const unsigned char *)"x", 1};
	ck_assert_int_eq(accord_container_add_entries(out, &data, 1, &err), ACCORD_ERR_USAGE);
	free(b1);
	free(b2);
	cleanup_dir();
}
END_TEST

START_TEST(update_entries_replaces_and_adds_meta_inf_files)
{
	accord_new_entry first = {"META-INF/signatures0.xml", (const unsigned char *)"<a/>", 4};
	accord_new_entry upd[2] = {{"META-INF/signatures0.xml", (const unsigned char *)"<b>new</b>", 10},
				   {"META-INF/signatures1.xml", (const unsigned char *)"<c/>", 4}};
	accord_container *c = NULL;
	accord_error err;
	const char *out;

	setup_dir();
	out = make_docs();
	ck_assert_int_eq(pack_default(out), ACCORD_OK);
	ck_assert_int_eq(accord_container_add_entries(out, &first, 1, &err), ACCORD_OK);
	ck_assert_int_eq(accord_container_update_entries(out, upd, 2, &err), ACCORD_OK);
	ck_assert_int_eq(accord_container_open(out, NULL, &c, &err), ACCORD_OK);
	ck_assert_uint_eq(c->n_signatures, 2);
	ck_assert_str_eq((const char *)c->signatures[0].data, "<b>new</b>");
	ck_assert_str_eq((const char *)c->signatures[1].data, "<c/>");
	ck_assert_uint_eq(accord_container_document_count(c), 4);
	accord_container_free(c);
	ck_assert_int_eq(count_tmp_files(), 0);
	cleanup_dir();
}
END_TEST

START_TEST(descriptor_round_trip)
{
	accord_descriptor d, back;
	accord_party parties[2];
	accord_error err;
	unsigned char *xml;
	size_t len;

	memset(&d, 0, sizeof d);
	memset(parties, 0, sizeof parties);
	d.kind = ACCORD_KIND_INCIDENT_REPORT;
	snprintf(d.title, sizeof d.title, "Incident <42> & \"friends\"");
	snprintf(d.reference, sizeof d.reference, "INC-42");
	d.created = 1790000000;
	snprintf(parties[0].name, sizeof parties[0].name, "CERT Alpha");
	memset(parties[0].fingerprint, 'a', 64);
	snprintf(parties[1].name, sizeof parties[1].name, "Bob B\xc3\xa9la");
	memset(parties[1].ca_fingerprint, '0', 64);
	d.parties = parties;
	d.n_parties = 2;
	d.quorum = 1;
	ck_assert_int_eq(accord_descriptor_to_xml(&d, &xml, &len, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)xml, "urn:accord:package:1"));
	ck_assert_int_eq(accord_descriptor_parse(xml, len, NULL, &back, &err), ACCORD_OK);
	ck_assert_int_eq(back.kind, d.kind);
	ck_assert_str_eq(back.title, d.title);
	ck_assert_str_eq(back.reference, d.reference);
	ck_assert_int_eq(back.created, d.created);
	ck_assert_uint_eq(back.n_parties, 2);
	ck_assert_str_eq(back.parties[0].name, "CERT Alpha");
	ck_assert_str_eq(back.parties[0].fingerprint, parties[0].fingerprint);
	ck_assert_str_eq(back.parties[1].name, parties[1].name);
	ck_assert_str_eq(back.parties[1].ca_fingerprint, parties[1].ca_fingerprint);
	ck_assert_str_eq(back.parties[1].fingerprint, "");
	ck_assert_uint_eq(back.quorum, 1);
	accord_descriptor_clear(&back);
	free(xml);
}
END_TEST

static int parse_desc(const char *body)
{
	accord_descriptor d;
	accord_error err;
	char xml[2048];
	int rc;

	snprintf(xml, sizeof xml, "<?xml version=\"1.0\"?>\n%s", body);
	rc = accord_descriptor_parse((const unsigned char *)xml, strlen(xml), NULL, &d, &err);
	if (rc == ACCORD_OK)
		accord_descriptor_clear(&d);
	return rc;
}

#define NS "xmlns=\"urn:accord:package:1\""
#define HEAD "<kind>agreement</kind><title>T</title><created>2026-01-01T00:00:00Z</created>"
#define FP "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

START_TEST(descriptor_refuses_bad_input)
{
	ck_assert_int_eq(parse_desc("<package " NS ">" HEAD "</package>"), ACCORD_OK);
	ck_assert_int_eq(parse_desc("<package xmlns=\"urn:x\">" HEAD "</package>"), ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS ">" HEAD "<extra/></package>"), ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS "><kind>contract</kind><title>T</title>"
				    "<created>2026-01-01T00:00:00Z</created></package>"),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS "><kind>agreement</kind><title>T</title>"
				    "<created>yesterday</created></package>"),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS ">" HEAD "<parties><party><name>A</name>"
				    "<fingerprint>xyz</fingerprint></party></parties></package>"),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS ">" HEAD "<parties><party><name>A</name>"
				    "<fingerprint>" FP "</fingerprint></party></parties>"
				    "<quorum>2</quorum></package>"),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS ">" HEAD "<parties><party><name>A</name>"
				    "<fingerprint>" FP "</fingerprint></party></parties>"
				    "<quorum>1</quorum></package>"),
			 ACCORD_OK);
	ck_assert_int_eq(parse_desc("<!DOCTYPE p [<!ENTITY x \"y\">]><package " NS ">" HEAD
				    "</package>"),
			 ACCORD_ERR_FORMAT);
	ck_assert_int_eq(parse_desc("<package " NS ">stray text" HEAD "</package>"),
			 ACCORD_ERR_FORMAT);
}
END_TEST

/* The TLP marking and the incident ID: written, read back, an unknown value kept as
 * written, TLP_UNKNOWN never written, the names FIRST writes accepted on input. */
START_TEST(descriptor_tlp_and_incident_id)
{
	accord_descriptor d, back;
	accord_error err;
	accord_tlp t;
	unsigned char *xml;
	size_t len;
	char buf[512];

	memset(&d, 0, sizeof d);
	d.kind = ACCORD_KIND_INCIDENT_REPORT;
	snprintf(d.title, sizeof d.title, "IR");
	snprintf(d.incident_id, sizeof d.incident_id, "IR-2026-044");
	d.tlp = ACCORD_TLP_AMBER_STRICT;
	d.created = 1790000000;
	ck_assert_int_eq(accord_descriptor_to_xml(&d, &xml, &len, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)xml, "<tlp>amber+strict</tlp>"));
	ck_assert_int_eq(accord_descriptor_parse(xml, len, NULL, &back, &err), ACCORD_OK);
	ck_assert_int_eq(back.tlp, ACCORD_TLP_AMBER_STRICT);
	ck_assert_str_eq(back.tlp_text, "amber+strict");
	ck_assert_str_eq(back.incident_id, "IR-2026-044");
	free(xml);
	d.tlp = ACCORD_TLP_UNKNOWN;
	ck_assert_int_eq(accord_descriptor_to_xml(&d, &xml, &len, &err), ACCORD_ERR_USAGE);
	d.tlp = ACCORD_TLP_RED;
	snprintf(d.incident_id, sizeof d.incident_id, "a\nb");
	ck_assert_int_eq(accord_descriptor_to_xml(&d, &xml, &len, &err), ACCORD_ERR_USAGE);

	snprintf(buf, sizeof buf, "<?xml version=\"1.0\"?><package " NS "><kind>agreement</kind>"
		 "<title>T</title><tlp>AMBER</tlp><created>2026-01-01T00:00:00Z</created></package>");
	ck_assert_int_eq(accord_descriptor_parse((unsigned char *)buf, strlen(buf), NULL, &back, &err), ACCORD_OK);
	ck_assert_int_eq(back.tlp, ACCORD_TLP_UNKNOWN); /* read strictly: pack writes "amber" */
	ck_assert_str_eq(back.tlp_text, "AMBER");
	ck_assert_str_eq(back.incident_id, "");
	/* out of order (tlp before incident-id) is refused like any other misplaced element */
	ck_assert_int_eq(parse_desc("<package " NS "><kind>agreement</kind><title>T</title><tlp>red</tlp>"
				    "<incident-id>X</incident-id><created>2026-01-01T00:00:00Z</created></package>"),
			 ACCORD_ERR_FORMAT);

	ck_assert_int_eq(accord_tlp_from_name("TLP:AMBER+STRICT", &t), ACCORD_OK);
	ck_assert_int_eq(t, ACCORD_TLP_AMBER_STRICT);
	ck_assert_int_eq(accord_tlp_from_name("Clear", &t), ACCORD_OK);
	ck_assert_int_eq(t, ACCORD_TLP_CLEAR);
	ck_assert_int_eq(accord_tlp_from_name("white", &t), ACCORD_ERR_USAGE);
	ck_assert_int_eq(accord_tlp_from_name("amber+", &t), ACCORD_ERR_USAGE);
	ck_assert_str_eq(accord_tlp_label(ACCORD_TLP_RED), "TLP:RED");
	ck_assert_str_eq(accord_tlp_name(ACCORD_TLP_UNKNOWN), "");
}
END_TEST

START_TEST(manifest_round_trip)
{
	accord_manifest_item items[2] = {{(char *)"a b.txt", (char *)"text/plain"},
					 {(char *)"dir/\xc3\xa9.pdf", (char *)"application/pdf"}};
	accord_manifest_item *back = NULL;
	size_t n = 0, len;
	unsigned char *xml;
	accord_error err;
	const char *root, *first;

	ck_assert_int_eq(accord_manifest_to_xml(items, 2, &xml, &len, &err), ACCORD_OK);
	ck_assert_ptr_nonnull(strstr((char *)xml, "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"));
	ck_assert_ptr_nonnull(strstr((char *)xml, "manifest:version=\"1.2\""));
	root = strstr((char *)xml, "manifest:full-path=\"/\"");
	first = strstr((char *)xml, "a b.txt");
	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_nonnull(first);
	ck_assert(root < first);
	ck_assert_int_eq(accord_manifest_parse(xml, len, &back, &n, &err), ACCORD_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(back[0].path, "a b.txt");
	ck_assert_str_eq(back[1].path, items[1].path);
	ck_assert_str_eq(back[1].media_type, "application/pdf");
	accord_manifest_free(back, n);
	free(xml);
}
END_TEST

START_TEST(name_rules)
{
	char why[200];
	const char *good[] = {"a.txt", "folder/test1.txt", "caf\xc3\xa9.pdf", "a b+c.txt"};
	const char *bad[] = {"", "../x", "a/../b", "/abs", "\\x", "a\\b", "C:x", "./a", "a//b",
			     "a/", "a\x01", "\xff", "a\xe2\x80\xaez"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_int_eq(accord_container_name_check(good[i], strlen(good[i]), why, sizeof why), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_int_eq(accord_container_name_check(bad[i], strlen(bad[i]), why, sizeof why), -1);
	ck_assert_int_eq(accord_container_name_check("a\0b", 3, why, sizeof why), -1);
	char *f1, *f2;
	ck_assert_int_eq(accord_container_name_fold("Caf\xc3\xa9.TXT", &f1), 0);
	ck_assert_int_eq(accord_container_name_fold("cafe\xcc\x81.txt", &f2), 0);
	ck_assert_str_eq(f1, f2);
	free(f1);
	free(f2);
	ck_assert_str_eq(accord_media_type_guess("x.PDF"), "application/pdf");
	ck_assert_str_eq(accord_media_type_guess("noext"), "application/octet-stream");
}
END_TEST

/* A container with a document in a sub-folder, made with libzip directly. */
static void make_subfolder_container(const char *path)
{
	int zerr;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	static const char man[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
		"<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.etsi.asic-e+zip\"/>"
		"<manifest:file-entry manifest:full-path=\"sub/x.txt\" manifest:media-type=\"text/plain\"/>"
		"</manifest:manifest>";
	zip_int64_t i;
	ck_assert_ptr_nonnull(z);
	i = zip_file_add(z, "mimetype", zip_source_buffer(z, ACCORD_MIMETYPE, 31, 0), 0);
	ck_assert_int_eq(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
	ck_assert_int_ge(zip_file_add(z, "sub/x.txt", zip_source_buffer(z, "inside\n", 7, 0), 0), 0);
	ck_assert_int_ge(zip_file_add(z, "META-INF/manifest.xml",
				      zip_source_buffer(z, man, sizeof man - 1, 0), 0), 0);
	ck_assert_int_eq(zip_close(z), 0);
}

START_TEST(extract_never_follows_symlinks_and_never_overwrites)
{
	accord_error err;
	unsigned char *b;
	size_t len;
	const char *out;

	setup_dir();
	out = make_docs();
	ck_assert_int_eq(pack_default(out), ACCORD_OK);
	ck_assert_int_eq(accord_container_extract(out, in_dir("x"), NULL, &err), ACCORD_OK);
	b = read_all(in_dir("x/data.bin"), &len);
	ck_assert_uint_eq(len, 200000);
	free(b);
	ck_assert_int_eq(access(in_dir("x/" ACCORD_DESCRIPTOR_NAME), F_OK), 0);
	/* Again without force: refused before anything is written. */
	unlink(in_dir("x/logo.png"));
	ck_assert_int_eq(accord_container_extract(out, in_dir("x"), NULL, &err), ACCORD_ERR_EXISTS);
	ck_assert_int_ne(access(in_dir("x/logo.png"), F_OK), 0);
	/* A symlink planted where a document goes is replaced with --force, not followed. */
	write_file(in_dir("victim"), "keep", 4);
	unlink(in_dir("x/agreement.txt"));
	ck_assert_int_eq(symlink(in_dir("victim"), in_dir("x/agreement.txt")), 0);
	ck_assert_int_eq(accord_container_extract(out, in_dir("x"), &(accord_extract_options){.force = 1}, &err), ACCORD_OK);
	b = read_all(in_dir("victim"), &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(b, "keep", 4);
	free(b);
	struct stat st;
	ck_assert_int_eq(lstat(in_dir("x/agreement.txt"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	/* A symlinked folder in the destination is not followed, even with --force. */
	make_subfolder_container(in_dir("sub.asice"));
	mkdir(in_dir("y"), 0755);
	mkdir(in_dir("elsewhere"), 0755);
	ck_assert_int_eq(symlink(in_dir("elsewhere"), in_dir("y/sub")), 0);
	ck_assert_int_ne(accord_container_extract(in_dir("sub.asice"), in_dir("y"), &(accord_extract_options){.force = 1}, &err),
			 ACCORD_OK);
	ck_assert_int_ne(access(in_dir("elsewhere/x.txt"), F_OK), 0);
	ck_assert_int_eq(accord_container_extract(in_dir("sub.asice"), in_dir("z"), NULL, &err),
			 ACCORD_OK);
	b = read_all(in_dir("z/sub/x.txt"), &len);
	ck_assert_mem_eq(b, "inside\n", 7);
	free(b);
	cleanup_dir();
}
END_TEST

static Suite *container_suite(void)
{
	Suite *s = suite_create("container");
	UNIT_ADD(s, pack_open_round_trip_hashes_match_gcrypt);
	UNIT_ADD(s, pack_writes_mimetype_at_byte_30_stored_without_extra);
	UNIT_ADD(s, pack_refuses_overwrite_and_leaves_no_temporary);
	UNIT_ADD(s, pack_refuses_bad_quorum_and_reserved_names);
	UNIT_ADD(s, add_entries_copies_existing_entries_raw_and_is_atomic);
	UNIT_ADD(s, update_entries_replaces_and_adds_meta_inf_files);
	UNIT_ADD(s, descriptor_round_trip);
	UNIT_ADD(s, descriptor_refuses_bad_input);
	UNIT_ADD(s, descriptor_tlp_and_incident_id);
	UNIT_ADD(s, manifest_round_trip);
	UNIT_ADD(s, name_rules);
	UNIT_ADD(s, extract_never_follows_symlinks_and_never_overwrites);
	return s;
}

UNIT_MAIN(container_suite)

/* tests/unit/test_util.c — hex, base64, time strings and atomic file writes. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <gcrypt.h>
#include <libxml/parser.h>
#include "unit.h"
#include "util/internal.h"

START_TEST(hex_round_trip)
{
	const unsigned char in[] = {0x00, 0xab, 0xff, 0x10};
	char hex[9], col[12];
	unsigned char back[4];

	accord_hex(in, 4, hex);
	ck_assert_str_eq(hex, "00abff10");
	accord_hex_colons(in, 4, col);
	ck_assert_str_eq(col, "00:AB:FF:10");
	ck_assert_int_eq(accord_unhex(col, back, sizeof back), 4);
	ck_assert_mem_eq(in, back, 4);
	ck_assert_int_eq(accord_unhex("abc", back, sizeof back), -1);
	ck_assert_int_eq(accord_unhex("zz", back, sizeof back), -1);
	ck_assert_int_eq(accord_unhex("0011223344", back, sizeof back), -1);
}
END_TEST

START_TEST(base64_ignores_line_breaks)
{
	unsigned char *out = NULL;
	size_t n = 0;
	char *enc = NULL;

	ck_assert_int_eq(accord_base64_decode("aGVs\nbG8=", 9, &out, &n), ACCORD_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_mem_eq(out, "hello", 5);
	ck_assert_int_eq(accord_base64_encode(out, n, &enc), ACCORD_OK);
	ck_assert_str_eq(enc, "aGVsbG8=");
	free(out);
	free(enc);
	ck_assert_int_eq(accord_base64_decode("!!!", 3, &out, &n), ACCORD_ERR_FORMAT);
}
END_TEST

START_TEST(time_round_trip)
{
	time_t t;
	char buf[32];

	ck_assert_int_eq(accord_time_parse("2026-11-26T10:00:00Z", &t), ACCORD_OK);
	ck_assert_int_eq((long)t, 1795687200L);
	accord_time_format(t, buf, sizeof buf);
	ck_assert_str_eq(buf, "2026-11-26T10:00:00Z");
	ck_assert_int_eq(accord_time_parse("2026-11-26T10:00:00.123Z", &t), ACCORD_OK);
	ck_assert_int_eq(accord_time_parse("yesterday", &t), ACCORD_ERR_FORMAT);
	ck_assert_int_eq(accord_time_parse("2026-11-26T10:00:00+02:00", &t), ACCORD_ERR_FORMAT);
}
END_TEST

START_TEST(atomic_write_leaves_no_temporary)
{
	char dir[] = "/tmp/accord-unit-XXXXXX", path[256];
	accord_error e;
	unsigned char *back = NULL;
	size_t n;
	struct stat st;
	DIR *d;
	struct dirent *de;
	int files = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.txt", dir);
	ck_assert_int_eq(accord_file_write_atomic(path, "one", 3, 0600, 1, &e), ACCORD_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* exclusive refuses to overwrite, and the content stays */
	ck_assert_int_eq(accord_file_write_atomic(path, "two", 3, 0600, 1, &e), ACCORD_ERR_EXISTS);
	ck_assert_int_eq(accord_file_write_atomic(path, "three", 5, 0644, 0, &e), ACCORD_OK);
	ck_assert_int_eq(accord_file_read(path, 100, &back, &n, &e), ACCORD_OK);
	ck_assert_str_eq((char *)back, "three");
	free(back);
	ck_assert_int_eq(accord_file_read(path, 2, &back, &n, &e), ACCORD_ERR_LIMIT);
	ck_assert_str_eq(e.where, path);
	d = opendir(dir);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || strstr(de->d_name, "accord-tmp"))
			files++;
	closedir(d);
	ck_assert_int_eq(files, 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* The sorted name index: lookups give the earliest position, repeats are the later
 * positions of a name, whatever the order the names came in. */
START_TEST(name_index_finds_and_repeats)
{
	const char *names[] = {"b", "a", "c", "a", NULL, "b", "a"};
	unsigned char mark[7] = {0};
	accord_name_index ix = {0};
	const accord_name_ref *hit, *first;

	for (size_t i = 0; i < 7; i++)
		ck_assert_int_eq(accord_name_index_add(&ix, names[i], i), 0);
	ck_assert_uint_eq(ix.n, 6); /* NULL skipped */
	accord_name_index_sort(&ix);
	hit = accord_name_index_find(&ix, "a");
	ck_assert_ptr_nonnull(hit);
	ck_assert_uint_eq(hit->idx, 1);
	ck_assert_uint_eq(accord_name_index_find(&ix, "c")->idx, 2);
	ck_assert_ptr_null(accord_name_index_find(&ix, "d"));
	ck_assert_ptr_null(accord_name_index_find(&ix, ""));
	hit = accord_name_index_repeat(&ix, &first);
	ck_assert_ptr_nonnull(hit);
	ck_assert_uint_eq(hit->idx, 3); /* "a" again at 3, before "b" again at 5 */
	ck_assert_uint_eq(first->idx, 1);
	accord_name_index_repeats(&ix, mark);
	ck_assert(!mark[0] && !mark[1] && !mark[2] && mark[3] && !mark[4] && mark[5] && mark[6]);
	accord_name_index_free(&ix);
	ck_assert_uint_eq(ix.n, 0);
	accord_name_index_sort(&ix);
	ck_assert_ptr_null(accord_name_index_find(&ix, "a"));
	ck_assert_ptr_null(accord_name_index_repeat(&ix, NULL));
}
END_TEST

/* A folder of a name ("a" and "a/b" for "a/b/c") found in the index, never a name that
 * only starts like it ("ab" for "a/x", "a/b" for "a/bc/x"). */
START_TEST(name_index_finds_folders)
{
	const char *names[] = {"ab", "a/bc", "x/y", "a-b", "doc.txt"};
	accord_name_index ix = {0};
	const accord_name_ref *hit;

	for (size_t i = 0; i < 5; i++)
		ck_assert_int_eq(accord_name_index_add(&ix, names[i], i), 0);
	accord_name_index_sort(&ix);
	ck_assert_ptr_null(accord_name_index_folder(&ix, "a/x"));
	ck_assert_ptr_null(accord_name_index_folder(&ix, "a/b/x"));
	ck_assert_ptr_null(accord_name_index_folder(&ix, "x/y"));
	ck_assert_ptr_null(accord_name_index_folder(&ix, "doc.txt"));
	ck_assert_ptr_null(accord_name_index_folder(&ix, NULL));
	hit = accord_name_index_folder(&ix, "a/bc/x");
	ck_assert_ptr_nonnull(hit);
	ck_assert_uint_eq(hit->idx, 1);
	hit = accord_name_index_folder(&ix, "doc.txt/inner");
	ck_assert_ptr_nonnull(hit);
	ck_assert_uint_eq(hit->idx, 4);
	ck_assert_uint_eq(accord_name_index_folder(&ix, "x/y/z/w")->idx, 2);
	ck_assert_uint_eq(accord_name_index_find(&ix, "a/bc")->idx, 1);
	ck_assert_ptr_null(accord_name_index_find(&ix, "a/b"));
	accord_name_index_free(&ix);
}
END_TEST

/* accord_deinit leaves libxml2 to the application (issue #13): this definition takes the
 * place of libxml2's for the library linked statically into this test, and counts calls. */
static int xml_cleanups;
void xmlCleanupParser(void)
{
	xml_cleanups++;
}

START_TEST(init_leaves_global_state_to_the_application)
{
	accord_error err;

	/* libgcrypt's initialisation is finished already (UNIT_MAIN's accord_init, as an
	 * application's own would be): accord_init accepts that, and may be called again. */
	ck_assert(gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P));
	ck_assert_int_eq(accord_init(&err), ACCORD_OK);
	ck_assert_int_eq(accord_init(&err), ACCORD_OK); /* GnuTLS counts them */
	accord_deinit();
	accord_deinit();
	ck_assert_int_eq(xml_cleanups, 0);
	ck_assert(gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P));
}
END_TEST

static Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	UNIT_ADD(s, hex_round_trip);
	UNIT_ADD(s, base64_ignores_line_breaks);
	UNIT_ADD(s, time_round_trip);
	UNIT_ADD(s, atomic_write_leaves_no_temporary);
	UNIT_ADD(s, name_index_finds_and_repeats);
	UNIT_ADD(s, name_index_finds_folders);
	UNIT_ADD(s, init_leaves_global_state_to_the_application);
	return s;
}

UNIT_MAIN(util_suite)

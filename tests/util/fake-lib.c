/*
 * A shared library that exports none of libarchive's or libxml2's symbols,
 * built as libarchive.so.13 and libxml2.so.2 for test-lazyload.sh: found
 * first through LD_LIBRARY_PATH, it makes drydock's loaders
 * (lib/util/archivedl.c, xmldl.c) fail the way a broken install would.
 */
int drydock_test_fake_lib(void);

int drydock_test_fake_lib(void)
{
	return 0;
}

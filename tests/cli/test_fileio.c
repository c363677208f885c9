/* bo_file_write_atomic (tools/common): an exclusive temporary file renamed into place. Symlinks
 * planted at temporary names are never followed, a symlink at the path is replaced rather than
 * written through, BO_FILE_NOREPLACE refuses an existing path (dangling symlinks included),
 * modes follow BO_FILE_PRIVATE or the umask, and every failure leaves no temporary file. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, symlink, lstat */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bo_fileio.h"

static char dir[64];

static int setup(void **state)
{
    strcpy(dir, "/tmp/bo_fileio_XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect(const char *path, const char *text)
{
    char buf[64] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

/* Entries of dir whose name starts with prefix. */
static int count(const char *prefix)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    }
    closedir(d);
    return n;
}

static void planted_symlinks_are_not_followed(void **state)
{
    char err[BO_ERRMSG_MAX];
    put(at("victim"), "victim");
    assert_int_equal(symlink(at("victim"), at("a.tmp")), 0);
    assert_int_equal(symlink(at("victim"), at("a.XXXXXX")), 0);
    assert_int_equal(bo_file_write_atomic(at("a"), "new", 3, 0u, err), 0);
    expect(at("a"), "new");
    expect(at("victim"), "victim");
    assert_int_equal(count("a"), 3); /* a, a.tmp, a.XXXXXX: no temporary left */
    /* A symlink at the path itself is replaced. */
    assert_int_equal(symlink(at("victim"), at("b")), 0);
    assert_int_equal(bo_file_write_atomic(at("b"), "new", 3, 0u, err), 0);
    struct stat st;
    assert_int_equal(lstat(at("b"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    expect(at("victim"), "victim");
}

static void noreplace_refuses_what_exists(void **state)
{
    char err[BO_ERRMSG_MAX];
    put(at("k"), "old");
    assert_int_equal(bo_file_write_atomic(at("k"), "new", 3, BO_FILE_NOREPLACE, err),
                     BO_FILE_EXISTS);
    assert_string_equal(err, "already exists");
    expect(at("k"), "old");
    assert_int_equal(count("k"), 1);
    assert_int_equal(symlink(at("nowhere"), at("d")), 0);
    assert_int_equal(bo_file_write_atomic(at("d"), "new", 3, BO_FILE_NOREPLACE, err),
                     BO_FILE_EXISTS);
    assert_int_equal(access(at("nowhere"), F_OK), -1);
    assert_int_equal(count("d"), 1);
    assert_int_equal(bo_file_write_atomic(at("n"), "new", 3, BO_FILE_NOREPLACE, err), 0);
    expect(at("n"), "new");
    assert_int_equal(count("n"), 1);
}

static void modes_are_private_or_the_umask(void **state)
{
    char err[BO_ERRMSG_MAX];
    struct stat st;
    mode_t old = umask(027);
    assert_int_equal(bo_file_write_atomic(at("p"), "x", 1, BO_FILE_PRIVATE, err), 0);
    assert_int_equal(bo_file_write_atomic(at("u"), "x", 1, 0u, err), 0);
    umask(old);
    assert_int_equal(stat(at("p"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(at("u"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
}

static void failures_leave_no_temporary_file(void **state)
{
    char err[BO_ERRMSG_MAX];
    assert_int_equal(mkdir(at("isdir"), 0755), 0);
    assert_int_equal(bo_file_write_atomic(at("isdir"), "x", 1, 0u, err), -1);
    assert_non_null(strstr(err, "cannot rename into place"));
    assert_int_equal(count("isdir"), 1);
    assert_int_equal(bo_file_write_atomic(at("nodir/x"), "x", 1, 0u, err), -1);
    assert_non_null(strstr(err, "cannot create"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(planted_symlinks_are_not_followed),
        cmocka_unit_test(noreplace_refuses_what_exists),
        cmocka_unit_test(modes_are_private_or_the_umask),
        cmocka_unit_test(failures_leave_no_temporary_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* bleota: a minimal QEMU TCG plugin (plugin API v1, QEMU 7.2) that counts guest instructions
 * between two marker addresses, exactly. Every instruction gets an inline counter add; the
 * start/stop markers get a callback that snapshots / reports the counter.
 *   -plugin libinsncount.so,start=ADDR,stop=ADDR,out=FILE
 * Writes one line per executed stop marker: "insns N" = instructions executed from the start
 * marker (itself included) up to, not including, the stop marker. No glib needed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t count; /* one vCPU on a Cortex-M machine */
static uint64_t mark;
static uint64_t start_pc = UINT64_MAX, stop_pc = UINT64_MAX;
static FILE *out;

static void on_start(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    mark = count;
}

static void on_stop(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    (void)udata;
    fprintf(out, "insns %" PRIu64 "\n", count - mark);
    fflush(out);
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        /* registered before the add: a marker sees the count of the instructions before it */
        if (pc == start_pc)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start, QEMU_PLUGIN_CB_NO_REGS, NULL);
        if (pc == stop_pc)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_stop, QEMU_PLUGIN_CB_NO_REGS, NULL);
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count, 1);
    }
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
    (void)id;
    (void)p;
    fprintf(out, "total %" PRIu64 "\n", count);
    if (out != stderr)
        fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
    (void)info;
    out = stderr;
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "start=", 6)) {
            start_pc = strtoull(argv[i] + 6, NULL, 0) & ~1ull; /* drop the Thumb bit */
        } else if (!strncmp(argv[i], "stop=", 5)) {
            stop_pc = strtoull(argv[i] + 5, NULL, 0) & ~1ull;
        } else if (!strncmp(argv[i], "out=", 4)) {
            out = fopen(argv[i] + 4, "w");
            if (!out)
                return -1;
        } else {
            fprintf(stderr, "insncount: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}

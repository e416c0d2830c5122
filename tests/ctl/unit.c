// SPDX-License-Identifier: GPL-2.0
/*
 * unit.c - unit tests for p2pfencectl's parsers and printers (TAP lines).
 * Built with ASan/UBSan by `make -C ctl check`.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <netlink/genl/genl.h>
#include "bootacs.h"
#include "fence_model.h"
#include "ipc.h"
#include "json.h"
#include "lspci.h"
#include "owners.h"
#include "pcicfg.h"
#include "show.h"
#include "sysfs.h"
#include "util.h"
#include "verdict.h"

static int failed, count;

static void t_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void t_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	count++;
	if (!cond)
		failed++;
	printf("%s unit: ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* run @fn with stderr captured into @buf */
static int stderr_fd = -1;
static char cap_path[] = "/tmp/p2pfence-unit-XXXXXX";

static void cap_begin(void)
{
	int fd = mkstemp(cap_path);

	fflush(stderr);
	stderr_fd = dup(2);
	dup2(fd, 2);
	close(fd);
}

static void cap_end(char *buf, size_t len)
{
	long n;

	fflush(stderr);
	dup2(stderr_fd, 2);
	close(stderr_fd);
	n = read_file(cap_path, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	unlink(cap_path);
	strcpy(cap_path, "/tmp/p2pfence-unit-XXXXXX");
}

static void test_parse_dev(void)
{
	static const struct { const char *s; uint64_t id; } good[] = {
		{ "0000:41:00.0", FM_ID(0, 0x41, 0) },
		{ "10000:00:02.0", FM_ID(0x10000, 0, 0x10) },
		{ "10001:e0:1f.7", FM_ID(0x10001, 0xe0, 0xff) },
		{ "abcdef0:01:00.1", FM_ID(0xabcdef0, 1, 1) },
		{ "ffffffff:ff:1f.7", FM_ID(0xffffffff, 0xff, 0xff) },
		{ "41:00.0", FM_ID(0, 0x41, 0) },
		{ "ffff:FF:1f.7", FM_ID(0xffff, 0xff, 0xff) },
		{ "0001:00:02.3", FM_ID(1, 0, 0x13) },
	};
	static const char *const bad[] = {
		"", "0000:41:00", "0000:41:20.0", "0000:41:00.8", "00000:41:00.0",
		"0000:41:00.0x", " 0000:41:00.0", "0000-41-00.0", "g000:41:00.0",
		"41:0.0", "4:00.0", "0000:041:00.0", "0000:41:00.", "0000:41:00.00",
		"0000:41:00.0 ", "0000:4-:00.0", "0000:41:0x.0", "-1", "41.00.0",
		"100000000:00:00.0", "010000:00:00.0", "1000g:00:00.0", "10000:00:00",
	};
	char why[160], d[DEV_STRLEN];
	uint64_t id;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		id = 0;
		t_ok(!parse_dev(good[i].s, &id, why, sizeof(why)) && id == good[i].id,
		     "parse_dev accepts '%s'", good[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		t_ok(parse_dev(bad[i], &id, why, sizeof(why)) == -EINVAL && why[0],
		     "parse_dev rejects '%s' (%s)", bad[i], why);
	}
	t_ok(!strcmp(fmt_dev(FM_ID(0xabcd, 0x41, 0x0a), d), "abcd:41:01.2"), "fmt_dev");
	t_ok(!strcmp(fmt_dev(FM_ID(0x10000, 0x01, 0x00), d), "10000:01:00.0") &&
	     !strcmp(fmt_dev(FM_ID(0xffffffff, 0xff, 0xff), d), "ffffffff:ff:1f.7"),
	     "fmt_dev writes a 32-bit domain whole (10000:01:00.0)");
}

static void test_parse_tenant(void)
{
	static const struct { const char *s; enum tenant_use use; uint32_t t; } good[] = {
		{ "1", TENANT_OWNER, 1 }, { "7", TENANT_OWNER, 7 }, { "007", TENANT_OWNER, 7 },
		{ "2147483647", TENANT_OWNER, 2147483647u },
		/* asking about a tenant: any id, the module's included */
		{ "2147483647", TENANT_ASK, 2147483647u }, { "2147483648", TENANT_ASK, 2147483648u },
		{ "4294967295", TENANT_ASK, 4294967295u },
	};
	static const struct { const char *s; enum tenant_use use; const char *why; } bad[] = {
		{ "0", TENANT_OWNER, "tenant 0 is the host" },
		{ "0", TENANT_ASK, "tenant 0 is the host" },
		{ "00", TENANT_ASK, "tenant 0 is the host" },
		{ "2147483648", TENANT_OWNER, "given by the module to named tenants: name the tenant" },
		{ "4294967295", TENANT_OWNER, "given by the module to named tenants: name the tenant" },
		{ "4294967296", TENANT_OWNER, "out of range (1-2147483647)" },
		{ "4294967296", TENANT_ASK, "out of range (1-4294967295)" },
		{ "99999999999999999999999", TENANT_ASK, "out of range" },
		{ "", TENANT_OWNER, "empty tenant" },
		{ "", TENANT_ASK, "empty tenant" },
		{ "-1", TENANT_OWNER, "must start with a letter or a digit, not '-'" },
		{ "-vm", TENANT_ASK, "must start with a letter or a digit, not '-'" },
		{ "+1", TENANT_OWNER, "not '+'" },
		{ " 1", TENANT_OWNER, "not ' '" },
		{ ".vm", TENANT_OWNER, "not '.'" },
		{ "_vm", TENANT_OWNER, "not '_'" },
		{ "1 ", TENANT_OWNER, "character ' ' at position 2" },
		{ "vm a", TENANT_OWNER, "character ' ' at position 3" },
		{ "vm#1", TENANT_OWNER, "character '#' at position 3" },
		{ "vm,1", TENANT_ASK, "character ',' at position 3" },
		{ "vm\t1", TENANT_OWNER, "byte 0x09 at position 3" },
		{ "vm\xc3\xa9", TENANT_OWNER, "byte 0xc3 at position 3" },
		{ "\xc3\xa9", TENANT_OWNER, "not byte 0xc3" },
		{ "vm\"1", TENANT_OWNER, "character '\"' at position 3" },
		/* 64 bytes */
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TENANT_OWNER,
		  "is 64 bytes long: at most 63" },
		{ "3f2504e0-4f89-11d3-9a0c-0305e82c3301.3f2504e0-4f89-11d3-9a0c-0305e82c3301",
		  TENANT_ASK, "is 73 bytes long: at most 63" },
	};
	static const char *const names[] = {
		"vm-a", "VM-a", "a", "9a", "0x10", "1x", "1e3", "1.0", "007a",
		"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "A.b_c:d@e+f/g-h", "a-", "z.",
		"instance-0000002a", "user@example.org", "pool/vm:7",
		/* 63 bytes */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct pf_tenant_ref t, u;
	char why[160], b[TENANT_STRLEN];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&t, 0x55, sizeof(t));
		t_ok(!parse_tenant(good[i].s, good[i].use, &t, why, sizeof(why)) &&
		     t.id == good[i].t && !t.name[0],
		     "parse_tenant accepts id '%s' (%s)", good[i].s,
		     good[i].use == TENANT_OWNER ? "owner" : "ask");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ret = parse_tenant(bad[i].s, bad[i].use, &t, why, sizeof(why));
		t_ok(ret < 0 && strstr(why, bad[i].why) && !strchr(why, '\n'),
		     "parse_tenant rejects '%s' (%s): %s", bad[i].s,
		     bad[i].use == TENANT_OWNER ? "owner" : "ask", why);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		memset(&t, 0x55, sizeof(t));
		ret = parse_tenant(names[i], TENANT_OWNER, &t, why, sizeof(why));
		t_ok(!ret && !t.id && !strcmp(t.name, names[i]) && tenant_name_ok(names[i]) &&
		     !parse_tenant(names[i], TENANT_ASK, &u, why, sizeof(why)) &&
		     tenant_ref_eq(&t, &u),
		     "parse_tenant takes '%s' as a name (%zu bytes)", names[i], strlen(names[i]));
	}
	t_ok(strlen(names[sizeof(names) / sizeof(names[0]) - 1]) == P2PFENCE_TENANT_NAME_MAX,
	     "the longest name tested is P2PFENCE_TENANT_NAME_MAX bytes");
	t_ok(!tenant_name_ok("123") && !tenant_name_ok("") && !tenant_name_ok(NULL) &&
	     !tenant_name_ok("-a") && tenant_name_ok("a1"), "tenant_name_ok: digits are an id");
	parse_tenant("vm-a", TENANT_OWNER, &t, why, sizeof(why));
	parse_tenant("VM-a", TENANT_OWNER, &u, why, sizeof(why));
	t_ok(!tenant_ref_eq(&t, &u), "tenant names are compared byte for byte (case matters)");
	parse_tenant("7", TENANT_OWNER, &u, why, sizeof(why));
	t_ok(!tenant_ref_eq(&t, &u), "a name is not an id");
	t_ok(!strcmp(fmt_tenant(7, NULL, b), "7") && !strcmp(fmt_tenant(7, "", b), "7") &&
	     !strcmp(fmt_tenant(2147483648u, "vm-a", b), "vm-a") &&
	     !strcmp(fmt_tenant(4294967295u, NULL, b), "4294967295"),
	     "fmt_tenant: the name, or the id");
}

static void test_owners(void)
{
	static const char good[] =
		"# owners\n"
		"\n"
		"0000:41:00.0 7   # gpu\n"
		"\t42:00.0\t8\r\n"
		"   # indented comment\n"
		"0000:43:00.0 2147483647\n"
		"0000:44:00.0 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n"
		"0000:45:00.0 3f2504e0-4f89-11d3-9a0c-0305e82c3301 # the same VM\n"
		"0000:46:00.0 vm-a#comment";
	static const char bad[] =
		"0000:41:00.0 7\n"		/* 1 ok */
		"0000:41:00.0\n"		/* 2 one field */
		"0000:42:00.0 0\n"		/* 3 tenant 0 */
		"zz:00.0 1\n"			/* 4 bad dev */
		"0000:43:00.0 1 extra\n"	/* 5 three fields */
		"# fine\n"			/* 6 */
		"0000:41:00.0 8\n"		/* 7 duplicate of 1 */
		"0000:44:00.0 -3\n"		/* 8 negative */
		"0000:45:00.0 2147483648\n"	/* 9 the module's ids */
		"0000:46:00.0 vm,a\n"		/* 10 a bad name */
		"0000:47:00.0 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
						/* 11 64 bytes */
		"0000:48:00.0 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
						/* 12 ok: 63 bytes */
	struct owners o = { 0 };
	unsigned int nbad = 99;
	char err[4096];
	int ret;

	cap_begin();
	ret = owners_parse("good.conf", good, sizeof(good) - 1, &o, &nbad);
	cap_end(err, sizeof(err));
	t_ok(!ret && nbad == 0 && o.n == 6, "owners: a good file parses (%zu entries)", o.n);
	t_ok(o.n == 6 && o.v[0].id == FM_ID(0, 0x41, 0) && o.v[0].tenant.id == 7 &&
	     !o.v[0].tenant.name[0] && o.v[0].line == 3 && o.v[1].id == FM_ID(0, 0x42, 0) &&
	     o.v[1].line == 4 && o.v[2].tenant.id == 2147483647u,
	     "owners: entries, tenants and line numbers");
	t_ok(o.n == 6 && !o.v[3].tenant.id &&
	     !strcmp(o.v[3].tenant.name, "3f2504e0-4f89-11d3-9a0c-0305e82c3301") &&
	     tenant_ref_eq(&o.v[3].tenant, &o.v[4].tenant) && o.v[4].line == 8 &&
	     !strcmp(o.v[5].tenant.name, "vm-a"),
	     "owners: named tenants; two devices of one name are one tenant; # ends a name");
	t_ok(!err[0], "owners: a good file prints nothing");
	owners_free(&o);

	cap_begin();
	ret = owners_parse("bad.conf", bad, sizeof(bad) - 1, &o, &nbad);
	cap_end(err, sizeof(err));
	t_ok(ret == -EINVAL && nbad == 9, "owners: 9 bad lines counted (%u)", nbad);
	t_ok(strstr(err, "bad.conf:2:") && strstr(err, "bad.conf:3:") && strstr(err, "bad.conf:4:") &&
	     strstr(err, "bad.conf:5:") && strstr(err, "bad.conf:7:") && strstr(err, "bad.conf:8:"),
	     "owners: every bad line reported with its number");
	t_ok(!strstr(err, "bad.conf:1:") && !strstr(err, "bad.conf:6:") && !strstr(err, "bad.conf:12:"),
	     "owners: good lines not reported (a 63-byte name is good)");
	t_ok(strstr(err, "duplicate device 0000:41:00.0 (first on line 1)") != NULL,
	     "owners: a duplicate names the first line");
	t_ok(strstr(err, "bad.conf:9: tenant ids from 2147483648 are given by the module to named "
			 "tenants: name the tenant instead\n") != NULL,
	     "owners: an id of the module's is refused, naming file:line");
	t_ok(strstr(err, "bad.conf:10: invalid tenant name 'vm,a': character ',' at position 3") != NULL,
	     "owners: a bad name names file:line and the character");
	t_ok(strstr(err, "bad.conf:11: tenant name '") && strstr(err, "is 64 bytes long: at most 63"),
	     "owners: a 64-byte name names file:line and the length");
	owners_free(&o);

	cap_begin();
	ret = owners_parse("nul.conf", "0000:41:00.0 7\n\0\n", 17, &o, &nbad);
	cap_end(err, sizeof(err));
	t_ok(ret == -EINVAL && strstr(err, "nul.conf:2:"), "owners: a NUL byte is a bad line");
	owners_free(&o);

	ret = owners_parse("empty.conf", "", 0, &o, &nbad);
	t_ok(!ret && o.n == 0, "owners: an empty file is an empty table");
	owners_free(&o);
}

/* config-space builders */
static void put16(uint8_t *b, size_t off, uint16_t v) { b[off] = v & 0xff; b[off + 1] = v >> 8; }
static void put32(uint8_t *b, size_t off, uint32_t v)
{
	put16(b, off, v & 0xffff);
	put16(b, off + 2, v >> 16);
}

static void cfg_base(uint8_t *b, uint8_t hdr, uint32_t class)
{
	memset(b, 0, 4096);
	put16(b, PCI_VENDOR_ID, 0x1af4);
	put16(b, PCI_DEVICE_ID, 0x1044);
	put32(b, PCI_CLASS_REVISION, class << 8 | 1);
	b[PCI_HEADER_TYPE] = hdr;
}

/* std chain: 0x40 PM -> 0x50 (id @zero_id) -> 0x60 PCIe(type) -> @last_next */
static void cfg_std(uint8_t *b, uint8_t type, uint8_t last_next)
{
	put16(b, PCI_STATUS, PCI_STATUS_CAP_LIST);
	b[PCI_CAPABILITY_LIST] = 0x40;
	b[0x40] = PCI_CAP_ID_PM;
	b[0x41] = 0x50;
	b[0x50] = 0;	/* an ID-0 capability, as hypervisors leave them */
	b[0x51] = 0x60;
	b[0x60] = PCI_CAP_ID_EXP;
	b[0x61] = last_next;
	put16(b, 0x62, (uint16_t)(2 | type << 4));
}

/* ext chain: 0x100 AER -> 0x140 (ID 0) -> 0x148 ACS -> 0x160 ATS -> @last */
static void cfg_ext(uint8_t *b, uint16_t acs_cap, uint16_t acs_ctrl, bool ats_en, uint16_t last)
{
	put32(b, 0x100, PCI_EXT_CAP_ID_ERR | 1 << 16 | 0x140u << 20);
	put32(b, 0x140, 0 | 1 << 16 | 0x148u << 20);
	put32(b, 0x148, PCI_EXT_CAP_ID_ACS | 1 << 16 | 0x160u << 20);
	put16(b, 0x148 + PCI_ACS_CAP, acs_cap);
	put16(b, 0x148 + PCI_ACS_CTRL, acs_ctrl);
	put32(b, 0x160, PCI_EXT_CAP_ID_ATS | 1 << 16 | (uint32_t)last << 20);
	put16(b, 0x160 + PCI_ATS_CTRL, ats_en ? PCI_ATS_CTRL_ENABLE : 0);
}

static void test_pcicfg(void)
{
	uint8_t *b = malloc(4096);
	struct pcicfg c;
	char why[256], w[512];
	int ret;

	cfg_base(b, 0x81, 0x030000);
	cfg_std(b, PCI_EXP_TYPE_ENDPOINT, 0);
	cfg_ext(b, 0x5f, 0x1d, true, 0);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && c.pcie && c.pcie_type == PCI_EXP_TYPE_ENDPOINT && c.mf && c.hdr_type == 1 &&
	     c.class == 0x030000 && c.vendor == 0x1af4, "pcicfg: header, PCIe type, multifunction");
	t_ok(c.acs && c.acs_cap == 0x5f && c.acs_ctrl == 0x1d && c.ats && c.ats_enabled && c.ext,
	     "pcicfg: ACS registers and ATS enable past an ID-0 extended capability");
	t_ok((c.warn & CFG_W_ZERO_ID) && !(c.warn & ~CFG_W_ZERO_ID), "pcicfg: ID-0 caps noted, nothing else");
	pcicfg_warn_str(&c, w, sizeof(w));
	t_ok(!w[0], "pcicfg: ID-0 capabilities are not worth a warning");

	/* 256 bytes of a PCIe device: extended space unknown */
	ret = pcicfg_parse(b, 256, &c, why, sizeof(why));
	pcicfg_warn_str(&c, w, sizeof(w));
	t_ok(!ret && c.pcie && !c.acs && !c.ats && (c.warn & CFG_W_NO_EXT) &&
	     strstr(w, "extended config space unreadable"),
	     "pcicfg: 256-byte PCIe config: ACS unknown, said so (%s)", w);

	/* conventional device, 256 bytes: normal, no warning */
	cfg_base(b, 0, 0x020000);
	ret = pcicfg_parse(b, 256, &c, why, sizeof(why));
	t_ok(!ret && !c.pcie && !c.warn, "pcicfg: 256-byte conventional config is normal");

	/* standard chain loop */
	cfg_base(b, 0, 0x030000);
	cfg_std(b, PCI_EXP_TYPE_ENDPOINT, 0x40);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	pcicfg_warn_str(&c, w, sizeof(w));
	t_ok(!ret && c.pcie && (c.warn & CFG_W_LOOP) && strstr(w, "loops"),
	     "pcicfg: standard capability loop detected (%s)", w);

	/* self-loop at 0x40 */
	cfg_base(b, 0, 0x030000);
	put16(b, PCI_STATUS, PCI_STATUS_CAP_LIST);
	b[PCI_CAPABILITY_LIST] = 0x40;
	b[0x40] = 0;
	b[0x41] = 0x40;
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && (c.warn & CFG_W_LOOP) && !c.pcie, "pcicfg: ID-0 capability pointing at itself");

	/* out-of-range standard pointer */
	cfg_base(b, 0, 0x030000);
	cfg_std(b, PCI_EXP_TYPE_ENDPOINT, 0x10);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && c.pcie && (c.warn & CFG_W_RANGE), "pcicfg: standard pointer into the header");
	b[PCI_CAPABILITY_LIST] = 0xfe;
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && !c.pcie && (c.warn & CFG_W_RANGE), "pcicfg: standard pointer past 0xfc");

	/* extended loop and out-of-range */
	cfg_base(b, 0, 0x030000);
	cfg_std(b, PCI_EXP_TYPE_DOWNSTREAM, 0);
	cfg_ext(b, 0x5f, 0x1d, false, 0x100);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && c.acs && (c.warn & CFG_W_LOOP), "pcicfg: extended capability loop detected");
	cfg_ext(b, 0x5f, 0x1d, false, 0x80);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && c.acs && (c.warn & CFG_W_RANGE), "pcicfg: extended pointer below 0x100");
	/* extended chain truncated by a short read */
	ret = pcicfg_parse(b, 0x14c, &c, why, sizeof(why));
	t_ok(!ret && !c.acs && (c.warn & CFG_W_TRUNC), "pcicfg: ACS capability beyond the bytes read");

	/* empty extended space */
	cfg_base(b, 0, 0x030000);
	cfg_std(b, PCI_EXP_TYPE_ENDPOINT, 0);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && !c.acs && !(c.warn & ~CFG_W_ZERO_ID), "pcicfg: no extended capabilities");
	memset(b + 256, 0xff, 4096 - 256);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(!ret && !c.acs && !(c.warn & ~CFG_W_ZERO_ID), "pcicfg: extended space reading all ones");

	/* subsystem IDs where the kernel reads them: header 0 at 0x2c, a
	 * bridge's SSVID capability (not 0x2c, which is its I/O base there) */
	cfg_base(b, 0, 0x030200);
	put16(b, PCI_SUBSYSTEM_VENDOR_ID, 0x10de);
	put16(b, PCI_SUBSYSTEM_ID, 0x16c1);
	ret = pcicfg_parse(b, 256, &c, why, sizeof(why));
	t_ok(!ret && c.subvendor == 0x10de && c.subdevice == 0x16c1,
	     "pcicfg: a function's subsystem IDs at 0x2c");
	cfg_base(b, 1, 0x060400);
	cfg_std(b, PCI_EXP_TYPE_DOWNSTREAM, 0x70);
	put16(b, PCI_SUBSYSTEM_VENDOR_ID, 0xdead);
	b[0x70] = PCI_CAP_ID_SSVID;
	b[0x71] = 0;
	put16(b, 0x70 + PCI_SSVID_VENDOR_ID, 0x1af4);
	put16(b, 0x70 + PCI_SSVID_DEVICE_ID, 0x1100);
	ret = pcicfg_parse(b, 256, &c, why, sizeof(why));
	t_ok(!ret && c.subvendor == 0x1af4 && c.subdevice == 0x1100,
	     "pcicfg: a bridge's subsystem IDs from its SSVID capability");
	b[0x61] = 0;
	ret = pcicfg_parse(b, 256, &c, why, sizeof(why));
	t_ok(!ret && !c.subvendor && !c.subdevice, "pcicfg: a bridge without SSVID: 0, as the kernel");

	/* too short / no device */
	ret = pcicfg_parse(b, 63, &c, why, sizeof(why));
	t_ok(ret == -EINVAL && strstr(why, "truncated"), "pcicfg: 63 bytes rejected (%s)", why);
	ret = pcicfg_parse(b, 64, &c, why, sizeof(why));
	t_ok(ret == -EINVAL && strstr(why, "root"), "pcicfg: 64 bytes (unprivileged read) rejected (%s)", why);
	ret = pcicfg_parse(b, 0, &c, why, sizeof(why));
	t_ok(ret == -EINVAL, "pcicfg: empty config rejected");
	memset(b, 0xff, 4096);
	ret = pcicfg_parse(b, 4096, &c, why, sizeof(why));
	t_ok(ret == -ENODEV && strstr(why, "ffff"), "pcicfg: all-ones config is no device (%s)", why);
	free(b);
}

static void test_types(void)
{
	struct pcicfg c;

	memset(&c, 0, sizeof(c));
	c.class = 0x060000;
	t_ok(fm_type_of(&c, 1) == FM_HOST_BRIDGE, "type: class 0600 is a host bridge");
	c.class = 0x060400;
	c.hdr_type = 1;
	t_ok(fm_type_of(&c, 0) == FM_PCI_BRIDGE, "type: header 1 without PCIe is a conventional bridge");
	c.pcie = true;
	c.pcie_type = PCI_EXP_TYPE_ROOT_PORT;
	t_ok(fm_type_of(&c, 1) == FM_ROOT_PORT, "type: root port");
	c.pcie_type = PCI_EXP_TYPE_UPSTREAM;
	t_ok(fm_type_of(&c, 0) == FM_SWITCH_UP, "type: switch upstream port");
	c.pcie_type = PCI_EXP_TYPE_DOWNSTREAM;
	t_ok(fm_type_of(&c, 0) == FM_SWITCH_DOWN, "type: switch downstream port");
	c.pcie_type = PCI_EXP_TYPE_PCI_BRIDGE;
	t_ok(fm_type_of(&c, 0) == FM_PCIE_PCI_BRIDGE, "type: PCIe-to-PCI bridge");
	c.hdr_type = 0;
	c.class = 0x030000;
	c.pcie_type = PCI_EXP_TYPE_ENDPOINT;
	t_ok(fm_type_of(&c, 0) == FM_ENDPOINT, "type: endpoint");
	t_ok(fm_type_of(&c, 1) == FM_RC_ENDPOINT, "type: any device on a root bus is an RCiEP");
	c.pcie_type = PCI_EXP_TYPE_RC_END;
	t_ok(fm_type_of(&c, 0) == FM_RC_ENDPOINT, "type: RCiEP");
	c.pcie = false;
	t_ok(fm_type_of(&c, 0) == FM_ENDPOINT, "type: conventional device below a bridge");
}

static void test_paths(void)
{
	char out[256];
	uint8_t d;

	t_ok(!path_resolve("bus/pci/devices", "../../../devices/pci0000:00/0000:00:02.0", out,
			   sizeof(out)) && !strcmp(out, "devices/pci0000:00/0000:00:02.0"),
	     "path: sysfs link resolves inside the tree");
	t_ok(path_resolve("bus/pci/devices", "../../../../etc", out, sizeof(out)) == -EINVAL,
	     "path: a link leaving the tree is refused");
	t_ok(path_resolve("bus/pci/devices", "/sys/devices/x", out, sizeof(out)) == -EINVAL,
	     "path: an absolute link is refused");
	t_ok(!path_resolve("a/./b", "./c/../d", out, sizeof(out)) && !strcmp(out, "a/b/d"),
	     "path: . and .. components");
	t_ok(!domain_from_type("identity", &d) && d == FM_DOM_IDENTITY, "domain: identity");
	t_ok(!domain_from_type("DMA-FQ", &d) && d == FM_DOM_DMA, "domain: DMA-FQ");
	t_ok(!domain_from_type("blocked", &d) && d == FM_DOM_DMA, "domain: blocked");
	t_ok(!domain_from_type("DMA", &d) && d == FM_DOM_DMA, "domain: DMA");
	t_ok(domain_from_type("auto", &d) == -EINVAL, "domain: unknown type refused");
}

/* t_ok() that shows what was captured in @err only when @cond fails */
#define t_err(cond, err, desc) do { \
		bool c_ = (cond); \
		t_ok(c_, "%s%s%s", desc, c_ ? "" : ": ", c_ ? "" : (err)); \
	} while (0)

/* --- the lspci dump reader (ctl/lspci.c) */

struct text {
	char *s;
	size_t n, cap;
};

static void tx_printf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tx_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int r;

	for (;;) {
		va_start(ap, fmt);
		r = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
		va_end(ap);
		if (t->s && (size_t)r < t->cap - t->n)
			break;
		t->cap = (t->cap + (size_t)r + 1) * 2;
		t->s = realloc(t->s, t->cap);
		if (!t->s)
			abort();
	}
	t->n += (size_t)r;
}

/* one function as lspci prints it: header, optional -v text, @len bytes, a blank line */
static void tx_fn(struct text *t, const char *addr, const uint8_t *b, unsigned int len, bool verbose)
{
	unsigned int i;

	tx_printf(t, "%s Some device: Vendor Device (rev 01)\n", addr);
	if (verbose)
		tx_printf(t, "\tSubsystem: Vendor Device\n\tFlags: bus master, fast devsel\n");
	for (i = 0; i < len; i++) {
		if (!(i % 16))
			tx_printf(t, "%02x:", i);
		tx_printf(t, " %02x%s", b[i], i % 16 == 15 ? "\n" : "");
	}
	tx_printf(t, "\n");
}

/* a bridge's bus numbers */
static void cfg_buses(uint8_t *b, uint8_t pri, uint8_t sec, uint8_t sub)
{
	b[PCI_PRIMARY_BUS] = pri;
	b[PCI_SECONDARY_BUS] = sec;
	b[PCI_SUBORDINATE_BUS] = sub;
}

/*
 * A small machine:
 *   00:00.0 host bridge (conventional, 256 bytes)
 *   00:01.0 root port, ACS on  [01]      -> 01:00.0 endpoint
 *   00:02.0 root port, ACS on  [02-04]   -> 02:00.0 switch up [03-04]
 *                                           -> 03:00.0 down, no ACS [04] -> 04:00.0, 04:00.1
 * With @domain the addresses carry it (lspci -D); @verbose adds -v text;
 * @short256 names a function dumped with 256 bytes whatever @len is.
 */
static char *tx_machine2(bool domain, bool verbose, unsigned int len, const char *short256,
			 size_t *n)
{
	static const struct {
		const char *addr;
		uint8_t hdr, type, sec, sub;
		uint32_t class;
		bool acs;
	} m[] = {
		{ "00:00.0", 0, 0xff, 0, 0, 0x060000, false },
		{ "00:01.0", 1, PCI_EXP_TYPE_ROOT_PORT, 1, 1, 0x060400, true },
		{ "00:02.0", 1, PCI_EXP_TYPE_ROOT_PORT, 2, 4, 0x060400, true },
		{ "01:00.0", 0, PCI_EXP_TYPE_ENDPOINT, 0, 0, 0x030000, false },
		{ "02:00.0", 1, PCI_EXP_TYPE_UPSTREAM, 3, 4, 0x060400, false },
		{ "03:00.0", 1, PCI_EXP_TYPE_DOWNSTREAM, 4, 4, 0x060400, false },
		{ "04:00.0", 0x80, PCI_EXP_TYPE_ENDPOINT, 0, 0, 0x030000, false },
		{ "04:00.1", 0, PCI_EXP_TYPE_ENDPOINT, 0, 0, 0x030000, false },
	};
	struct text t = { 0 };
	uint8_t *b = malloc(4096);
	char addr[32];
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		cfg_base(b, m[i].hdr, m[i].class);
		if (m[i].type != 0xff) {
			cfg_std(b, m[i].type, 0);
			put32(b, 0x100, PCI_EXT_CAP_ID_ERR | 1 << 16);
			if (m[i].acs)
				cfg_ext(b, 0x5f, 0x1d, false, 0);
		}
		if (m[i].hdr & 0x7f)
			cfg_buses(b, (uint8_t)strtoul(m[i].addr, NULL, 16), m[i].sec, m[i].sub);
		snprintf(addr, sizeof(addr), "%s%s", domain ? "0000:" : "", m[i].addr);
		tx_fn(&t, addr, b, (m[i].type == 0xff || (short256 && !strcmp(short256, m[i].addr))) &&
		      len > 256 ? 256 : len, verbose);
	}
	free(b);
	*n = t.n;
	return t.s;
}

static char *tx_machine(bool domain, bool verbose, unsigned int len, size_t *n)
{
	return tx_machine2(domain, verbose, len, NULL, n);
}

/* lspci_parse() with stderr captured into @err */
static int lp(const char *dump, const char *groups, struct topo *t, char *err, size_t errlen)
{
	int ret;

	cap_begin();
	ret = lspci_parse("d.txt", dump, strlen(dump), "g.txt", groups,
			  groups ? strlen(groups) : 0, t);
	cap_end(err, errlen);
	return ret;
}

static const struct fm_node *node_of(const struct topo *t, const char *addr)
{
	char why[160];
	uint64_t id;
	uint32_t i;

	if (parse_dev(addr, &id, why, sizeof(why)))
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->nodes[i].id == id)
			return &t->nodes[i];
	return NULL;
}

static bool parent_is(const struct topo *t, const char *addr, const char *paddr)
{
	const struct fm_node *n = node_of(t, addr), *p = paddr ? node_of(t, paddr) : NULL;

	if (!n)
		return false;
	if (!paddr)
		return n->parent < 0;
	return p && n->parent >= 0 && &t->nodes[n->parent] == p;
}

static const char machine_groups[] =
	"/sys/kernel/iommu_groups/0/devices/0000:00:00.0\n"
	"/sys/kernel/iommu_groups/1/devices/0000:00:01.0\n"
	"/sys/kernel/iommu_groups/2/devices/0000:00:02.0\n"
	"/sys/kernel/iommu_groups/3/devices/0000:01:00.0\n"
	"/sys/kernel/iommu_groups/4/devices/0000:02:00.0\n"
	"/sys/kernel/iommu_groups/4/devices/0000:03:00.0\n"
	"/sys/kernel/iommu_groups/4/devices/0000:04:00.0\n"
	"/sys/kernel/iommu_groups/4/devices/0000:04:00.1\n"
	"/sys/kernel/iommu_groups/0/type:DMA-FQ\n"
	"/sys/kernel/iommu_groups/1/type:DMA-FQ\n"
	"/sys/kernel/iommu_groups/2/type:DMA-FQ\n"
	"/sys/kernel/iommu_groups/3/type:identity\n"
	"/sys/kernel/iommu_groups/4/type:DMA-FQ\n";

static void test_lspci_good(void)
{
	char err[8192], *dump, *v;
	const struct fm_node *n;
	struct topo t, t2;
	size_t len, i;
	int ret;

	dump = tx_machine(false, false, 4096, &len);
	ret = lp(dump, machine_groups, &t, err, sizeof(err));
	t_ok(!ret && t.n == 8 && t.dump && !strcmp(t.dump, "d.txt") && !t.root,
	     "lspci: a -xxxx dump reads (%d, %u functions)", ret, t.n);
	t_ok(!ret && parent_is(&t, "00:00.0", NULL) && parent_is(&t, "00:02.0", NULL) &&
	     parent_is(&t, "01:00.0", "00:01.0") && parent_is(&t, "02:00.0", "00:02.0") &&
	     parent_is(&t, "03:00.0", "02:00.0") && parent_is(&t, "04:00.0", "03:00.0") &&
	     parent_is(&t, "04:00.1", "03:00.0"),
	     "lspci: parents from the bridges' secondary bus numbers");
	for (i = 1, ret = ret ? ret : 0; !ret && i < t.n; i++)
		if (t.d[i].depth < t.d[i - 1].depth || t.nodes[i].parent >= (s32)i)
			ret = -1;
	t_ok(!ret, "lspci: nodes in (depth, address) order, parents first");
	n = node_of(&t, "00:02.0");
	t_ok(n && n->type == FM_ROOT_PORT && (n->flags & FM_NODE_ACS) && n->acs_ctrl == 0x1d &&
	     n->group == 2, "lspci: root port type, ACS registers, group");
	n = node_of(&t, "03:00.0");
	t_ok(n && n->type == FM_SWITCH_DOWN && !(n->flags & FM_NODE_ACS),
	     "lspci: downstream port without ACS");
	n = node_of(&t, "04:00.1");
	t_ok(n && n->type == FM_ENDPOINT && (n->flags & FM_NODE_MF) && n->group == 4 &&
	     n->domain == FM_DOM_DMA, "lspci: function 1: multifunction, group 4, DMA-FQ");
	n = node_of(&t, "01:00.0");
	t_ok(n && n->domain == FM_DOM_IDENTITY && n->group == 3, "lspci: identity domain from a type line");
	t_err(!err[0], err, "lspci: a whole dump with groups and types: nothing to say");
	topo_free(&t);

	/* the same machine with -D and -v text, and CRLF line ends: the same model */
	free(dump);
	dump = tx_machine(true, true, 4096, &len);
	ret = lp(dump, machine_groups, &t2, err, sizeof(err));
	v = tx_machine(false, false, 4096, &len);
	lp(v, machine_groups, &t, err, sizeof(err));
	t_ok(!ret && t.n == t2.n && !memcmp(t.nodes, t2.nodes, t.n * sizeof(*t.nodes)),
	     "lspci: -D addresses and -v text read the same");
	topo_free(&t2);
	free(dump);
	{
		struct text c = { 0 };

		for (i = 0; i < len; i++)
			tx_printf(&c, v[i] == '\n' ? "\r\n" : "%c", v[i]);
		ret = lp(c.s, machine_groups, &t2, err, sizeof(err));
		t_ok(!ret && t.n == t2.n && !memcmp(t.nodes, t2.nodes, t.n * sizeof(*t.nodes)),
		     "lspci: CRLF line ends read the same");
		topo_free(&t2);
		free(c.s);
	}
	topo_free(&t);
	free(v);

	/* groups in every accepted form: the same groups */
	{
		static const char *const forms[] = {
			"0 0000:00:00.0\n1 0000:00:01.0\n2 0000:00:02.0\n3 0000:01:00.0\n"
			"4 0000:02:00.0\n4\t0000:03:00.0\n4 0000:04:00.0\n# comment\n\n4 0000:04:00.1\n",
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:00:00.0/iommu_group -> ../../../../kernel/iommu_groups/0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:00:01.0/iommu_group -> ../../../../kernel/iommu_groups/1\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:00:02.0/iommu_group -> ../../../../kernel/iommu_groups/2\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:01:00.0/iommu_group -> ../../../../kernel/iommu_groups/3\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:02:00.0/iommu_group -> ../../../../kernel/iommu_groups/4\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:03:00.0/iommu_group -> ../../../../kernel/iommu_groups/4\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:04:00.0/iommu_group -> ../../../../kernel/iommu_groups/4\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/bus/pci/devices/0000:04:00.1/iommu_group -> ../../../../kernel/iommu_groups/4\n",
			"/sys/kernel/iommu_groups/0/devices:\ntotal 0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:00:00.0 -> ../../../../devices/pci0000:00/0000:00:00.0\n\n"
			"/sys/kernel/iommu_groups/1/devices:\ntotal 0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:00:01.0 -> ../../../../devices/pci0000:00/0000:00:01.0\n\n"
			"/sys/kernel/iommu_groups/2/devices:\ntotal 0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:00:02.0 -> ../../../../devices/pci0000:00/0000:00:02.0\n\n"
			"/sys/kernel/iommu_groups/3/devices:\ntotal 0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:01:00.0 -> ../../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0\n\n"
			"/sys/kernel/iommu_groups/4/devices:\ntotal 0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:02:00.0 -> ../../../../devices/x/0000:02:00.0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:03:00.0 -> ../../../../devices/x/0000:03:00.0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:04:00.0 -> ../../../../devices/x/0000:04:00.0\n"
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:04:00.1 -> ../../../../devices/x/0000:04:00.1\n",
			"lrwxrwxrwx 1 root root 0 Nov 27 10:00 /sys/kernel/iommu_groups/0/devices/0000:00:00.0 -> ../../../../devices/pci0000:00/0000:00:00.0\n"
			"/sys/kernel/iommu_groups/1/devices/0000:00:01.0\n2 0000:00:02.0\n3 0000:01:00.0\n"
			"4 0000:02:00.0\n4 0000:03:00.0\n4 0000:04:00.0\n4 0000:04:00.1\n",
		};
		static const char *const names[] = { "N DEV", "ls -l .../iommu_group", "ls -l of each group",
						     "ls -l of the links, mixed with the others" };
		int32_t want[] = { 0, 1, 2, 3, 4, 4, 4, 4 };
		size_t f;
		bool same;

		dump = tx_machine(false, false, 4096, &len);
		for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			ret = lp(dump, forms[f], &t, err, sizeof(err));
			same = !ret && t.n == 8;
			for (i = 0; same && i < t.n; i++)
				same = t.nodes[i].group == want[FM_ID_BUS(t.nodes[i].id) == 4 ? 6 :
					FM_ID_BUS(t.nodes[i].id) == 3 ? 5 : FM_ID_BUS(t.nodes[i].id) == 2 ? 4 :
					FM_ID_BUS(t.nodes[i].id) == 1 ? 3 : (int)FM_ID_SLOT(t.nodes[i].id)];
			t_ok(same && strstr(err, "no IOMMU domain types"),
			     "lspci: groups as %s; no types: said so%s%s", names[f],
			     same ? "" : ": ", same ? "" : err);
			topo_free(&t);
		}
		free(dump);
	}

	/* without groups: said once, every device without one */
	dump = tx_machine(false, false, 4096, &len);
	ret = lp(dump, NULL, &t, err, sizeof(err));
	v = strstr(err, "d.txt: no IOMMU groups given");
	t_err(!ret && v && !strstr(v + strlen("d.txt: no IOMMU groups given"), "no IOMMU groups given"), err, "lspci: without groups: said once");
	for (i = 0, ret = ret ? ret : 0; !ret && i < t.n; i++)
		if (t.nodes[i].group != -1 || t.nodes[i].domain != FM_DOM_UNKNOWN)
			ret = -1;
	t_ok(!ret, "lspci: without groups every function has none (no-iommu)");
	topo_free(&t);
	/* groups with only some types */
	ret = lp(dump, "0 0000:00:00.0\n3 0000:01:00.0\n/sys/kernel/iommu_groups/0/type:DMA\n", &t, err,
		 sizeof(err));
	t_err(!ret && strstr(err, "no domain type for IOMMU group 3"), err, "lspci: a group without a type: named");
	topo_free(&t);
	ret = lp(dump, "", &t, err, sizeof(err));
	t_err(!ret && strstr(err, "g.txt: no device is in an IOMMU group"), err, "lspci: an empty group listing: said so");
	topo_free(&t);
	free(dump);

	/* -xxxx, one port still 256 bytes: what the kernel could not read
	 * either, taken as sysfs takes it (KISOL from the groups) */
	dump = tx_machine2(false, false, 4096, "00:01.0", &len);
	ret = lp(dump, machine_groups, &t, err, sizeof(err));
	n = node_of(&t, "00:01.0");
	t_err(!ret && n && !(n->flags & FM_NODE_ACS) && (n->flags & FM_NODE_KISOL) &&
	      strstr(err, "d.txt:19: 0000:00:01.0: only 256 bytes of config space dumped (its extended config space was not readable)") &&
	      !strstr(err, "0000:00:02.0"), err,
	      "lspci: a 256-byte port in a -xxxx dump: said so, the groups weighed as sysfs would");
	topo_free(&t);
	free(dump);
	/*
	 * A domain beyond ffff: without a VMD endpoint in the dump a segment
	 * of its own (said so); with one (8086:467f at 00:0e.0) every
	 * function of domain 10000 DMAs with the endpoint's requester id.
	 */
	{
		struct text vt = { 0 };
		const struct fm_node *vmd, *nvme;
		uint8_t b[4096];
		char *g;
		int k;

		for (k = 0; k < 2; k++) {
			memset(&vt, 0, sizeof(vt));
			cfg_base(b, 0, 0x010802);
			v = tx_machine(false, false, 4096, &len);
			tx_fn(&vt, "10000:e0:00.0", b, 256, false);
			if (k) {
				cfg_base(b, 0, 0x010400);
				put16(b, PCI_VENDOR_ID, 0x8086);
				put16(b, PCI_DEVICE_ID, 0x467f);
				tx_fn(&vt, "00:0e.0", b, 256, false);
			}
			tx_printf(&vt, "%s", v);
			g = malloc(sizeof(machine_groups) + 64);
			snprintf(g, sizeof(machine_groups) + 64, "%s9 10000:e0:00.0\n%s",
				 machine_groups, k ? "9 0000:00:0e.0\n" : "");
			ret = lp(vt.s, g, &t, err, sizeof(err));
			nvme = node_of(&t, "10000:e0:00.0");
			vmd = node_of(&t, "0000:00:0e.0");
			if (!k)
				t_err(!ret && t.n == 9 && nvme && !nvme->dma_dev && nvme->parent == -1 &&
				      strstr(err, "d.txt: 10000:e0:00.0: PCI domain 10000 has no VMD endpoint in the dump: taken as a segment of its own"),
				      err, "lspci: domain 10000 without a VMD endpoint: a segment of its own, said so");
			else
				t_err(!ret && t.n == 10 && nvme && vmd && nvme->dma_dev &&
				      &t.nodes[nvme->dma_dev - 1] == vmd && !vmd->dma_dev &&
				      !strstr(err, "no VMD endpoint"),
				      err, "lspci: domain 10000 DMAs as the VMD endpoint 0000:00:0e.0 (8086:467f)");
			topo_free(&t);
			free(g);
			free(v);
			free(vt.s);
		}
	}

	/* -xxx: 256 bytes; the PCIe functions' ACS cannot be seen, and no KISOL from the groups */
	dump = tx_machine(false, false, 256, &len);
	ret = lp(dump, machine_groups, &t, err, sizeof(err));
	n = node_of(&t, "00:02.0");
	t_ok(!ret && n && n->type == FM_ROOT_PORT && !(n->flags & (FM_NODE_ACS | FM_NODE_KISOL)),
	     "lspci: -xxx: the root port has no ACS seen, and is not taken as kernel-isolated");
	t_ok(strstr(err, "d.txt:19: 0000:00:01.0: only 256 bytes of config space dumped (lspci -xxx); ACS cannot be seen: run lspci -xxxx as root") &&
	     !strstr(err, "0000:00:00.0"), "lspci: -xxx: a note per PCIe function, naming its line");
	topo_free(&t);
	free(dump);
	/* -x: 64 bytes; no capabilities at all: bridges are conventional ones */
	dump = tx_machine(false, false, 64, &len);
	ret = lp(dump, machine_groups, &t, err, sizeof(err));
	n = node_of(&t, "00:02.0");
	t_ok(!ret && n && n->type == FM_PCI_BRIDGE && !(n->flags & FM_NODE_ACS) &&
	     parent_is(&t, "04:00.1", "03:00.0"),
	     "lspci: -x: read; bridges without the PCIe capability seen, the hierarchy still there");
	t_ok(strstr(err, "0000:00:00.0: only 64 bytes of config space dumped") &&
	     strstr(err, "run lspci -xxxx as root"), "lspci: -x: a note per function");
	topo_free(&t);
	free(dump);
}

/* one bad dump: -EINVAL, nothing returned, the message names FILE:LINE */
static void lspci_bad(const char *desc, const char *dump, const char *groups, const char *want)
{
	char err[8192];
	struct topo t;
	int ret;

	ret = lp(dump, groups, &t, err, sizeof(err));
	t_ok(ret == -EINVAL && !t.n && !t.d && !t.nodes && strstr(err, want) &&
	     strstr(err, "nothing checked"), "lspci: %s: refused, naming the line (%s)", desc,
	     strstr(err, want) ? want : err);
	if (!ret)
		topo_free(&t);
}

/* @s with the first @pat replaced by @rep (malloc'ed) */
static char *subst(const char *s, const char *pat, const char *rep)
{
	const char *p = strstr(s, pat);
	size_t n = strlen(s) - strlen(pat) + strlen(rep) + 1;
	char *r = malloc(n);

	if (!p || !r)
		abort();
	snprintf(r, n, "%.*s%s%s", (int)(p - s), s, rep, p + strlen(pat));
	return r;
}

static void test_lspci_bad(void)
{
	static const struct { const char *desc, *pat, *rep, *want; } cases[] = {
		{ "bad hex", "\n10: 00 00 00 00 00 00 00 00 00 01 01 00", "\n10: 00 00 00 00 00 zz 00 00 00 01 01 00",
		  "d.txt:21: bad hex byte 'zz'" },
		{ "short line", "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00\n",
		  "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00\n", "d.txt:21: short line: 15 bytes" },
		{ "long line", "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00\n",
		  "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00 00\n", "d.txt:21: long line" },
		{ "a byte of three digits", "\n10: 00 00 00", "\n10: 000 00 00", "d.txt:3: bad hex byte '000'" },
		{ "a line missing", "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00\n", "\n",
		  "d.txt:21: offset 20 where 10 was expected" },
		{ "a hex line outside a function", "00:00.0 Some device", "00: 00\n\n00:00.0 Some device",
		  "d.txt:1: a hex dump line outside a function" },
		{ "text inside the hex dump", "\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00\n",
		  "\n\tFlags: oops\n10: 00 00 00 00 00 00 00 00 00 01 01 00 00 00 00 00\n",
		  "d.txt:21: text inside the hex dump" },
		{ "not an lspci line", "00:00.0 Some device", "$ sudo lspci -xxxx\n00:00.0 Some device",
		  "d.txt:1: not a line of lspci -xxxx output: '$ sudo lspci -xxxx'" },
		{ "a device number out of range", "01:00.0 Some", "01:20.0 Some",
		  "device number 20 out of range" },
		{ "a bad address", "01:00.0 Some", "01:0.00 Some", "invalid device '01:0.00'" },
		{ "no hex dump", "00:00.0 Some device: Vendor Device (rev 01)\n",
		  "00:00.0 Some device: Vendor Device (rev 01)\n\n00:00.1 Some\n",
		  "d.txt:1: 0000:00:00.0: no hex dump of its config space (run lspci -xxxx)" },
		{ "a NUL byte", "Some device: Vendor", "Some device: V\x01ndor", "" },
	};
	char *good, *bad;
	size_t len, i;

	good = tx_machine(false, false, 4096, &len);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!cases[i].want[0])
			continue;
		bad = subst(good, cases[i].pat, cases[i].rep);
		lspci_bad(cases[i].desc, bad, NULL, cases[i].want);
		free(bad);
	}
	/* the second function dumped twice */
	{
		const char *f2 = strstr(good, "00:01.0 "), *f3 = strstr(good, "00:02.0 ");
		struct text t = { 0 };

		tx_printf(&t, "%s%.*s", good, (int)(f3 - f2), f2);
		lspci_bad("a function dumped twice", t.s, NULL, "d.txt:1825: 0000:00:01.0 dumped twice (first on line 19)");
		free(t.s);
		/* cut short: the last function ends after 1024 bytes */
		free(t.s = NULL);
		t.n = t.cap = 0;
		tx_printf(&t, "%.*s", (int)(strstr(good, "\n400: ") - good + 1), good);
		lspci_bad("a dump cut short", t.s, NULL,
			  "d.txt:19: 0000:00:01.0: 1024 bytes of config space: lspci dumps 64, 128, 256 or 4096");
		free(t.s);
	}
	/* the switch's upstream port missing: bus 03 is inside 00:02.0's buses 02-04 */
	{
		const char *up = strstr(good, "02:00.0 "), *down = strstr(good, "03:00.0 ");
		struct text t = { 0 };

		tx_printf(&t, "%.*s%s", (int)(up - good), good, down);
		lspci_bad("a bridge missing", t.s, NULL,
			  "d.txt:793: 0000:03:00.0 is on bus 03, inside the buses 02-04 of 0000:00:02.0 (line 277), but no bridge in the dump leads to it");
		free(t.s);
		/* two bridges leading to bus 01 */
		bad = subst(good, "\n10: 00 00 00 00 00 00 00 00 00 02 04 00", "\n10: 00 00 00 00 00 00 00 00 00 01 04 00");
		lspci_bad("two bridges to one bus", bad, NULL, "d.txt:277: 0000:00:02.0 and 0000:00:01.0 (line 19) both lead to bus 01");
		free(bad);
	}
	/* a function reading all ones */
	{
		struct text t = { 0 };
		uint8_t b[256];

		memset(b, 0xff, sizeof(b));
		tx_fn(&t, "00:05.0", b, 256, false);
		tx_printf(&t, "%s", good);
		lspci_bad("a function reading ffff", t.s, NULL, "d.txt:1: 0000:00:05.0: no device: vendor ID reads ffff");
		free(t.s);
	}
	{
		char *nul = malloc(len + 1), err[4096];
		struct topo t;
		int ret;

		memcpy(nul, good, len + 1);
		nul[strstr(good, "Vendor") - good] = '\0';
		cap_begin();
		ret = lspci_parse("d.txt", nul, len, NULL, NULL, 0, &t);
		cap_end(err, sizeof(err));
		t_err(ret == -EINVAL && strstr(err, "d.txt:1: a NUL byte"), err, "lspci: a NUL byte: refused");
		free(nul);
	}
	{
		char err[4096];
		struct topo t;
		int ret;

		ret = lp("\n\n", NULL, &t, err, sizeof(err));
		t_err(ret == -ENODEV && strstr(err, "d.txt: no PCI functions"), err, "lspci: an empty dump: no functions");
	}

	/* the group listing */
	lspci_bad("groups: a group that is no number", good, "/sys/kernel/iommu_groups/x1/devices/0000:00:00.0\n",
		  "g.txt:1: 'x1': not an IOMMU group number");
	lspci_bad("groups: a bad device", good, "1 0000:00:00.0\n2 0000:0:00.0\n", "g.txt:2: invalid device '0000:0:00.0'");
	lspci_bad("groups: a device twice", good, "1 0000:00:00.0\n\n2 0000:00:00.0\n",
		  "g.txt:3: 0000:00:00.0 listed twice (first on line 1)");
	lspci_bad("groups: an unknown type", good, "/sys/kernel/iommu_groups/1/type:auto\n",
		  "g.txt:1: unknown IOMMU domain type 'auto'");
	lspci_bad("groups: two types for a group", good,
		  "/sys/kernel/iommu_groups/1/type:DMA\n/sys/kernel/iommu_groups/1/type:identity\n",
		  "g.txt:2: IOMMU group 1: a second, different domain type (first on line 1)");
	lspci_bad("groups: a device not in the dump", good, "1 0000:00:00.0\n7 0000:09:00.0\n",
		  "g.txt:2: 0000:09:00.0 is in IOMMU group 7 but not in d.txt");
	lspci_bad("groups: garbage", good, "1 0000:00:00.0\nhello\n", "g.txt:2: not an IOMMU group line: 'hello'");
	lspci_bad("groups: a link outside a listing", good,
		  "lrwxrwxrwx 1 root root 0 Nov 27 10:00 0000:00:00.0 -> ../../../../devices/pci0000:00/0000:00:00.0\n",
		  "g.txt:1: a link outside a group's listing");
	lspci_bad("groups: a path that is neither devices nor type", good, "/sys/kernel/iommu_groups/1/reserved_regions\n",
		  "g.txt:1: expected .../iommu_groups/N/devices/DDDD:BB:DD.F");
	free(good);
}

static void json_compact(void)
{
	out_obj_open(NULL);
	out_bool("isolated", "%s", false);
	out_arr_open("violations");
	out_obj_open(NULL);
	out_str("kind", "%s", "acs-missing");
	out_null("peer", NULL);
	out_arr_open("missing");
	out_str(NULL, "%s", "SV");
	out_str(NULL, "%s", "RR");
	out_arr_close();
	out_obj_close();
	out_arr_close();
	out_str("esc", NULL, "a\"b\\c\n\x01");
	out_uint("n", NULL, 4294967295u);
	out_obj_close();
}

static void json_pretty(void)
{
	out_arr_open(NULL);
	out_obj_open(NULL);
	out_uint("tenant", NULL, 7);
	out_arr_open("devs");
	out_arr_close();
	out_obj_close();
	out_arr_close();
}

static void json_text(void)
{
	out_obj_open(NULL);
	out_str("dev", "%s: ", "0000:05:00.0");
	out_text("%s", "acs-missing");
	out_null("peer", NULL);
	out_bool("fenced", " fenced=%s", true);
	out_obj_close();
}

/* what the module reports, printed (verdict.c, show.c) */
static const struct pf_verdict v_no_reset[] = {
	{ .kind = FM_NO_RESET, .dev = FM_ID(0, 1, 1), .at = FM_ID(0, 0, 0x10),
	  .has_peer = true, .peer = FM_ID(0, 1, 0), .missing = P2PFENCE_NO_RESET_WHY_BUS_SHARED },
	{ .kind = FM_NO_RESET, .dev = FM_ID(0, 0, 0x28), .at = FM_ID(0, 0, 0x28),
	  .missing = P2PFENCE_NO_RESET_WHY_NO_METHOD },
	{ .kind = FM_ACS_MISSING, .dev = FM_ID(0, 5, 0), .at = FM_ID(0, 4, 0),
	  .has_peer = true, .peer = FM_ID(0, 6, 0), .missing = PCI_ACS_SV | PCI_ACS_RR },
};

static void print_verdicts(void)
{
	size_t i;

	out_arr_open(NULL);
	for (i = 0; i < sizeof(v_no_reset) / sizeof(v_no_reset[0]); i++)
		verdict_print(&v_no_reset[i], true);
	out_arr_close();
}

static const struct pf_verdict v_boot = {
	.kind = FM_ACS_DISABLED, .dev = FM_ID(0, 2, 0), .at = FM_ID(0, 0, 0x18),
	.has_peer = true, .peer = FM_ID(0, 1, 0),
	.missing = PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF,
	.boot_policy = "disable_acs_redir=0000:00:03.0"
};

static void print_verdict_boot(void)
{
	out_arr_open(NULL);
	verdict_print(&v_boot, true);
	verdict_print(&v_boot, false);
	out_arr_close();
}

static void print_dev_boot(void)
{
	struct boot_override o[] = {
		{ FM_ID(0, 0, 0x18), PCI_ACS_RR | PCI_ACS_CR, "disable_acs_redir=0000:00:03.0" },
		{ FM_ID(0, 3, 0), PCI_ACS_SV | PCI_ACS_EC, "config_acs=11xxxx0@pci:10b5:8747" },
	};
	const struct pf_dev d = { .id = FM_ID(0, 4, 0), .tenant = 7, .fenced = true, .boot = o,
				  .nboot = 2 };

	pf_dev_print(&d);
}

static struct pf_verdict v_one = {
	.kind = FM_NO_RESET, .dev = FM_ID(0, 0x41, 0), .at = FM_ID(0, 0x40, 0),
	.has_peer = true, .peer = FM_ID(0, 0x41, 1), .missing = P2PFENCE_NO_RESET_WHY_BUS_SHARED
};

static void print_devs(void)
{
	const struct pf_dev d[] = {
		{ .id = FM_ID(0, 0x41, 0), .tenant = 7, .fenced = true, .has_last_tenant = true,
		  .last_tenant = 3, .has_reset = true, .reset_time = 1764500000,
		  .reset_method = P2PFENCE_RESET_METHOD_FLR, .reset_tenant = 7, .unreset = true },
		{ .id = FM_ID(0, 0x41, 0) },
		{ .id = FM_ID(0, 0x41, 0), .has_last_tenant = true, .last_tenant = 7,
		  .has_reset = true, .reset_method = 99, .v = { 1, 1, &v_one } },
	};
	size_t i;

	out_arr_open(NULL);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		pf_dev_print(&d[i]);
	out_arr_close();
}

static void print_events(void)
{
	const struct pf_event ev[] = {
		{ .event = P2PFENCE_EVENT_HANDOVER_RESET, .has_dev = true, .dev = FM_ID(0, 0x41, 0),
		  .has_tenant = true, .tenant = 8, .comm = "p2pfencectl", .has_last_tenant = true,
		  .last_tenant = 7, .has_reset_method = true,
		  .reset_method = P2PFENCE_RESET_METHOD_AF_FLR },
		{ .event = P2PFENCE_EVENT_REFUSED, .has_dev = true, .dev = FM_ID(0, 0x41, 0),
		  .has_tenant = true, .tenant = 8, .v = { 1, 1, &v_one } },
	};
	size_t i;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		pf_event_print(&ev[i]);
}

/* named tenants: the name in text, the id and the name in JSON */
#define UUID_A "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

static void print_devs_named(void)
{
	const struct pf_dev d[] = {
		{ .id = FM_ID(0, 1, 0), .tenant = 2147483648u, .tenant_name = UUID_A,
		  .fenced = true },
		{ .id = FM_ID(0, 0x41, 0), .tenant = 2147483649u, .tenant_name = "vm-b",
		  .fenced = true, .has_last_tenant = true, .last_tenant = 2147483648u,
		  .last_tenant_name = UUID_A, .has_reset = true, .reset_time = 1764500000,
		  .reset_method = P2PFENCE_RESET_METHOD_FLR, .reset_tenant = 2147483649u,
		  .reset_tenant_name = "vm-b" },
		/* the host's, last held by a named tenant */
		{ .id = FM_ID(0, 2, 0), .has_last_tenant = true, .last_tenant = 2147483649u,
		  .last_tenant_name = "vm-b" },
		/* a numeric tenant that took it from a named one */
		{ .id = FM_ID(0, 3, 0), .tenant = 7, .has_last_tenant = true,
		  .last_tenant = 2147483650u, .last_tenant_name = "vm-c" },
	};
	size_t i;

	out_arr_open(NULL);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		pf_dev_print(&d[i]);
	out_arr_close();
}

static void print_events_named(void)
{
	const struct pf_event ev[] = {
		{ .event = P2PFENCE_EVENT_ASSIGNED, .has_dev = true, .dev = FM_ID(0, 1, 0),
		  .has_tenant = true, .tenant = 2147483648u, .tenant_name = UUID_A,
		  .comm = "p2pfencectl" },
		{ .event = P2PFENCE_EVENT_HANDOVER_RESET, .has_dev = true, .dev = FM_ID(0, 1, 0),
		  .has_tenant = true, .tenant = 2147483649u, .tenant_name = "vm-b",
		  .has_last_tenant = true, .last_tenant = 2147483648u, .last_tenant_name = UUID_A,
		  .has_reset_method = true, .reset_method = P2PFENCE_RESET_METHOD_FLR },
		{ .event = P2PFENCE_EVENT_RELEASED, .has_dev = true, .dev = FM_ID(0, 1, 0),
		  .has_tenant = true, .tenant = 5, .has_last_tenant = true, .last_tenant = 2147483649u,
		  .last_tenant_name = "vm-b" },
	};
	size_t i;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		pf_event_print(&ev[i]);
}

static void print_tenants(void)
{
	struct pf_dev d1[] = {
		{ .id = FM_ID(0, 1, 0), .tenant = 7, .fenced = true },
		{ .id = FM_ID(0, 2, 0), .tenant = 7 },
	};
	struct pf_dev d2[] = { { .id = FM_ID(0, 5, 0), .fenced = true } };
	const struct pf_tenant t[] = {
		{ .tenant = 7, .devs = { 2, 2, d1 } },
		{ .tenant = 2147483648u, .name = UUID_A, .devs = { 1, 1, d2 } },
	};
	size_t i;

	out_arr_open(NULL);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		pf_tenant_print(&t[i]);
	out_arr_close();
}

/* the same print calls in each mode, and what they must give */
static const struct {
	const char *name;
	bool json, pretty;
	void (*print)(void);
	const char *want;
} json_cases[] = {
	{ "json: compact output and escaping", true, false, json_compact,
	  "{\"isolated\":false,\"violations\":[{\"kind\":\"acs-missing\",\"peer\":null,"
	  "\"missing\":[\"SV\",\"RR\"]}],\"esc\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":4294967295}\n" },
	{ "json: pretty output, empty list", false, true, json_pretty,
	  "[\n  {\n    \"tenant\": 7,\n    \"devs\": []\n  }\n]\n" },
	{ "json: text mode from the same calls", false, false, json_text,
	  "0000:05:00.0: acs-missing fenced=yes" },
	{ "verdict: no-reset prints its reason, not ACS bits (text)", false, false, print_verdicts,
	  "0000:01:00.1: no-reset at 0000:00:02.0 (peer 0000:01:00.0): bus-shared\n"
	  "0000:00:05.0: no-reset at 0000:00:05.0: no-method\n"
	  "0000:05:00.0: acs-missing at 0000:04:00.0 (peer 0000:06:00.0) missing SV RR\n" },
	{ "verdict: no-reset prints its reason, not ACS bits (JSON why)", true, false, print_verdicts,
	  "[{\"kind\":\"no-reset\",\"dev\":\"0000:01:00.1\",\"at\":\"0000:00:02.0\","
	  "\"peer\":\"0000:01:00.0\",\"missing\":[],\"why\":\"bus-shared\",\"faked_why\":null,\"kernel_belief\":null,\"fixable\":false,\"boot_policy\":null,\"trusted_quirk\":null},"
	  "{\"kind\":\"no-reset\",\"dev\":\"0000:00:05.0\",\"at\":\"0000:00:05.0\",\"peer\":null,"
	  "\"missing\":[],\"why\":\"no-method\",\"faked_why\":null,\"kernel_belief\":null,\"fixable\":false,\"boot_policy\":null,\"trusted_quirk\":null},"
	  "{\"kind\":\"acs-missing\",\"dev\":\"0000:05:00.0\",\"at\":\"0000:04:00.0\","
	  "\"peer\":\"0000:06:00.0\",\"missing\":[\"SV\",\"RR\"],\"why\":null,\"faked_why\":null,\"kernel_belief\":null,\"fixable\":false,\"boot_policy\":null,\"trusted_quirk\":null}]\n" },
	{ "verdict: a boot policy note after the fixable note (text)", false, false,
	  print_verdict_boot,
	  "0000:02:00.0: acs-disabled at 0000:00:03.0 (peer 0000:01:00.0) missing SV RR CR UF "
	  "(fixable by the module) (relaxed at boot by disable_acs_redir=0000:00:03.0)\n"
	  "0000:02:00.0: acs-disabled at 0000:00:03.0 (peer 0000:01:00.0) missing SV RR CR UF "
	  "(relaxed at boot by disable_acs_redir=0000:00:03.0)\n" },
	{ "verdict: boot_policy (JSON)", true, false, print_verdict_boot,
	  "[{\"kind\":\"acs-disabled\",\"dev\":\"0000:02:00.0\",\"at\":\"0000:00:03.0\","
	  "\"peer\":\"0000:01:00.0\",\"missing\":[\"SV\",\"RR\",\"CR\",\"UF\"],\"why\":null,\"faked_why\":null,\"kernel_belief\":null,"
	  "\"fixable\":true,\"boot_policy\":\"disable_acs_redir=0000:00:03.0\",\"trusted_quirk\":null},"
	  "{\"kind\":\"acs-disabled\",\"dev\":\"0000:02:00.0\",\"at\":\"0000:00:03.0\","
	  "\"peer\":\"0000:01:00.0\",\"missing\":[\"SV\",\"RR\",\"CR\",\"UF\"],\"why\":null,\"faked_why\":null,\"kernel_belief\":null,"
	  "\"fixable\":true,\"boot_policy\":\"disable_acs_redir=0000:00:03.0\",\"trusted_quirk\":null}]\n" },
	{ "dev: where the fence overrides the boot policy, below the device (text)", false, false,
	  print_dev_boot,
	  "0000:04:00.0 tenant 7 fenced\n"
	  "  0000:00:03.0: relaxed at boot by disable_acs_redir=0000:00:03.0, overridden by the "
	  "fence: set RR CR\n"
	  "  0000:03:00.0: relaxed at boot by config_acs=11xxxx0@pci:10b5:8747, overridden by the "
	  "fence: set SV clear EC\n" },
	{ "dev: boot_overrides (JSON)", true, false, print_dev_boot,
	  "{\"dev\":\"0000:04:00.0\",\"tenant\":7,\"fenced\":true,\"vfio\":false,\"unreset\":false,"
	  "\"last_tenant\":null,\"reset_method\":null,\"reset_time\":null,\"reset_tenant\":null,"
	  "\"boot_overrides\":[{\"at\":\"0000:00:03.0\",\"boot_policy\":"
	  "\"disable_acs_redir=0000:00:03.0\",\"overridden\":[\"RR\",\"CR\"]},"
	  "{\"at\":\"0000:03:00.0\",\"boot_policy\":\"config_acs=11xxxx0@pci:10b5:8747\","
	  "\"overridden\":[\"SV\",\"EC\"]}],\"violations\":[]}\n" },
	{ "dev: last tenant, hand-over reset, unreset (text)", false, false, print_devs,
	  "0000:41:00.0 tenant 7 fenced unreset last tenant 3 reset flr at 2025-11-30T10:53:20Z for tenant 7\n"
	  "0000:41:00.0 host\n"
	  "0000:41:00.0 host last tenant 7 reset method-99 at 1970-01-01T00:00:00Z\n"
	  "  0000:41:00.0: no-reset at 0000:40:00.0 (peer 0000:41:00.1): bus-shared\n" },
	{ "dev: last tenant, hand-over reset, unreset (JSON, null when absent)", true, false, print_devs,
	  "[{\"dev\":\"0000:41:00.0\",\"tenant\":7,\"fenced\":true,\"vfio\":false,\"unreset\":true,\"last_tenant\":3,"
	  "\"reset_method\":\"flr\",\"reset_time\":\"2025-11-30T10:53:20Z\",\"reset_tenant\":7,"
	  "\"boot_overrides\":[],\"violations\":[]},"
	  "{\"dev\":\"0000:41:00.0\",\"tenant\":0,\"fenced\":false,\"vfio\":false,\"unreset\":false,\"last_tenant\":null,"
	  "\"reset_method\":null,\"reset_time\":null,\"reset_tenant\":null,\"boot_overrides\":[],\"violations\":[]},"
	  "{\"dev\":\"0000:41:00.0\",\"tenant\":0,\"fenced\":false,\"vfio\":false,\"unreset\":false,\"last_tenant\":7,"
	  "\"reset_method\":\"method-99\",\"reset_time\":\"1970-01-01T00:00:00Z\",\"reset_tenant\":null,"
	  "\"boot_overrides\":[],\"violations\":[{\"kind\":\"no-reset\",\"dev\":\"0000:41:00.0\",\"at\":\"0000:40:00.0\","
	  "\"peer\":\"0000:41:00.1\",\"missing\":[],\"why\":\"bus-shared\",\"faked_why\":null,\"kernel_belief\":null,\"fixable\":false,\"boot_policy\":null,\"trusted_quirk\":null}]}]\n" },
	{ "event: handover-reset with the previous tenant and the method (text)", false, false,
	  print_events,
	  "handover-reset 0000:41:00.0 tenant 8 last tenant 7 reset af-flr by p2pfencectl\n"
	  "refused 0000:41:00.0 tenant 8\n"
	  "  0000:41:00.0: no-reset at 0000:40:00.0 (peer 0000:41:00.1): bus-shared\n" },
	{ "event: handover-reset with the previous tenant and the method (JSON)", true, false,
	  print_events,
	  "{\"event\":\"handover-reset\",\"dev\":\"0000:41:00.0\",\"tenant\":8,\"last_tenant\":7,"
	  "\"reset_method\":\"af-flr\",\"comm\":\"p2pfencectl\",\"violations\":[]}"
	  "{\"event\":\"refused\",\"dev\":\"0000:41:00.0\",\"tenant\":8,\"violations\":"
	  "[{\"kind\":\"no-reset\",\"dev\":\"0000:41:00.0\",\"at\":\"0000:40:00.0\","
	  "\"peer\":\"0000:41:00.1\",\"missing\":[],\"why\":\"bus-shared\",\"faked_why\":null,\"kernel_belief\":null,\"fixable\":false,\"boot_policy\":null,\"trusted_quirk\":null}]}\n" },
	{ "dev: named tenants by name (text)", false, false, print_devs_named,
	  "0000:01:00.0 tenant " UUID_A " fenced\n"
	  "0000:41:00.0 tenant vm-b fenced last tenant " UUID_A
	  " reset flr at 2025-11-30T10:53:20Z for tenant vm-b\n"
	  "0000:02:00.0 host last tenant vm-b\n"
	  "0000:03:00.0 tenant 7 NOT fenced last tenant vm-c\n" },
	{ "dev: named tenants: the id, and *_name only when named (JSON)", true, false,
	  print_devs_named,
	  "[{\"dev\":\"0000:01:00.0\",\"tenant\":2147483648,\"tenant_name\":\"" UUID_A "\","
	  "\"fenced\":true,\"vfio\":false,\"unreset\":false,\"last_tenant\":null,"
	  "\"reset_method\":null,\"reset_time\":null,\"reset_tenant\":null,\"boot_overrides\":[],\"violations\":[]},"
	  "{\"dev\":\"0000:41:00.0\",\"tenant\":2147483649,\"tenant_name\":\"vm-b\","
	  "\"fenced\":true,\"vfio\":false,\"unreset\":false,\"last_tenant\":2147483648,"
	  "\"last_tenant_name\":\"" UUID_A "\",\"reset_method\":\"flr\","
	  "\"reset_time\":\"2025-11-30T10:53:20Z\",\"reset_tenant\":2147483649,"
	  "\"reset_tenant_name\":\"vm-b\",\"boot_overrides\":[],\"violations\":[]},"
	  "{\"dev\":\"0000:02:00.0\",\"tenant\":0,\"fenced\":false,\"vfio\":false,"
	  "\"unreset\":false,\"last_tenant\":2147483649,\"last_tenant_name\":\"vm-b\","
	  "\"reset_method\":null,\"reset_time\":null,\"reset_tenant\":null,\"boot_overrides\":[],\"violations\":[]},"
	  "{\"dev\":\"0000:03:00.0\",\"tenant\":7,\"fenced\":false,\"vfio\":false,"
	  "\"unreset\":false,\"last_tenant\":2147483650,\"last_tenant_name\":\"vm-c\","
	  "\"reset_method\":null,\"reset_time\":null,\"reset_tenant\":null,\"boot_overrides\":[],\"violations\":[]}]\n" },
	{ "event: named tenants by name (text)", false, false, print_events_named,
	  "assigned 0000:01:00.0 tenant " UUID_A " by p2pfencectl\n"
	  "handover-reset 0000:01:00.0 tenant vm-b last tenant " UUID_A " reset flr\n"
	  "released 0000:01:00.0 tenant 5 last tenant vm-b\n" },
	{ "event: named tenants: the id, and *_name only when named (JSON)", true, false,
	  print_events_named,
	  "{\"event\":\"assigned\",\"dev\":\"0000:01:00.0\",\"tenant\":2147483648,"
	  "\"tenant_name\":\"" UUID_A "\",\"comm\":\"p2pfencectl\",\"violations\":[]}"
	  "{\"event\":\"handover-reset\",\"dev\":\"0000:01:00.0\",\"tenant\":2147483649,"
	  "\"tenant_name\":\"vm-b\",\"last_tenant\":2147483648,\"last_tenant_name\":\"" UUID_A "\","
	  "\"reset_method\":\"flr\",\"violations\":[]}"
	  "{\"event\":\"released\",\"dev\":\"0000:01:00.0\",\"tenant\":5,\"last_tenant\":2147483649,"
	  "\"last_tenant_name\":\"vm-b\",\"violations\":[]}\n" },
	{ "tenant show: a named tenant by name and id (text)", false, false, print_tenants,
	  "tenant 7: 0000:01:00.0 (fenced) 0000:02:00.0 (NOT fenced)\n"
	  "tenant " UUID_A " (id 2147483648): 0000:05:00.0 (fenced)\n" },
	{ "tenant show: tenant_name only when named (JSON)", true, false, print_tenants,
	  "[{\"tenant\":7,\"trust_ats\":false,\"devs\":[{\"dev\":\"0000:01:00.0\",\"fenced\":true},"
	  "{\"dev\":\"0000:02:00.0\",\"fenced\":false}]},"
	  "{\"tenant\":2147483648,\"tenant_name\":\"" UUID_A "\",\"trust_ats\":false,\"devs\":"
	  "[{\"dev\":\"0000:05:00.0\",\"fenced\":true}]}]\n" },
};

/* @s as TAP comment lines, the first after @label */
static void diag_lines(const char *label, const char *s)
{
	size_t n;

	for (; *s; label = "      ") {
		n = strcspn(s, "\n");
		printf("# %s%.*s\n", label, (int)n, s);
		s += n + (s[n] == '\n');
	}
}

static void test_json(void)
{
	char *buf;
	size_t i, len;
	FILE *f;

	for (i = 0; i < sizeof(json_cases) / sizeof(json_cases[0]); i++) {
		buf = NULL;
		f = open_memstream(&buf, &len);
		out_init(f, json_cases[i].json, json_cases[i].pretty);
		json_cases[i].print();
		out_end();
		fclose(f);
		t_ok(!strcmp(buf, json_cases[i].want), "%s", json_cases[i].name);
		if (strcmp(buf, json_cases[i].want)) {
			diag_lines("want: ", json_cases[i].want);
			diag_lines("got:  ", buf);
		}
		free(buf);
	}
	out_init(stdout, false, false);
}

static void test_names(void)
{
	char b[32];

	t_ok(!strcmp(fmt_utc(0, b), "1970-01-01T00:00:00Z"), "fmt_utc: the epoch");
	t_ok(!strcmp(fmt_utc(1764500000, b), "2025-11-30T10:53:20Z"), "fmt_utc: ISO-8601 UTC");
	t_ok(!strcmp(fmt_utc(UINT64_MAX, b), "@18446744073709551615"),
	     "fmt_utc: beyond time_t, the raw seconds (%s)", b);
	t_ok(!strcmp(reset_method_name(P2PFENCE_RESET_METHOD_DEVICE_SPECIFIC, b), "device-specific") &&
	     !strcmp(reset_method_name(P2PFENCE_RESET_METHOD_CXL_BUS, b), "cxl-bus") &&
	     !strcmp(reset_method_name(0, b), "method-0"), "reset_method_name: the spec's names");
	t_ok(!strcmp(no_reset_why_name(P2PFENCE_NO_RESET_WHY_DRIVER, b), "driver") &&
	     !strcmp(no_reset_why_name(P2PFENCE_NO_RESET_WHY_FAILED, b), "failed") &&
	     !strcmp(no_reset_why_name(9, b), "why-9"), "no_reset_why_name: the spec's names");
}

/* a message as the module would send it, for the reply parsers */
static struct nl_msg *nl_reply(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m)
		genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0, cmd, P2PFENCE_FAMILY_VERSION);
	return m;
}

#define NAME63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* a dev reply with a tenant-name attribute of @len bytes at @name (@attr) */
static int dev_reply_with(int attr, const void *name, int len, struct pf_devs *out)
{
	struct nl_msg *m = nl_reply(P2PFENCE_CMD_DEV_GET);
	char err[512];
	int ret;

	nla_put_u32(m, P2PFENCE_A_DEV_DOMAIN, 0);
	nla_put_u16(m, P2PFENCE_A_DEV_BDF, 0x100);
	nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 2147483648u);
	nla_put_u32(m, P2PFENCE_A_DEV_LAST_TENANT, 2147483649u);
	nla_put_u32(m, P2PFENCE_A_DEV_RESET_TENANT, 2147483648u);
	if (name)
		nla_put(m, attr, len, name);
	cap_begin();
	ret = pf_devs_reply(m, out);
	cap_end(err, sizeof(err));
	nlmsg_free(m);
	return ret;
}

static void test_replies(void)
{
	static const struct { const char *desc; int attr, len; const char *s; } bad[] = {
		{ "a tenant-name without its NUL", P2PFENCE_A_DEV_TENANT_NAME, 4, "vm-a" },
		{ "an empty tenant-name", P2PFENCE_A_DEV_TENANT_NAME, 1, "" },
		{ "a 64-byte tenant-name", P2PFENCE_A_DEV_TENANT_NAME, 65, NAME63 "a" },
		{ "a tenant-name with a space", P2PFENCE_A_DEV_TENANT_NAME, 4, "a b" },
		{ "an all-digits tenant-name", P2PFENCE_A_DEV_TENANT_NAME, 4, "123" },
		{ "a tenant-name starting with '-'", P2PFENCE_A_DEV_TENANT_NAME, 4, "-ab" },
		{ "a bad last-tenant-name", P2PFENCE_A_DEV_LAST_TENANT_NAME, 4, "a,b" },
		{ "a bad reset-tenant-name", P2PFENCE_A_DEV_RESET_TENANT_NAME, 5, "vm\x01" "a" },
	};
	struct pf_devs devs = { 0 };
	struct pf_tenants ts = { 0 };
	struct pf_event ev;
	struct nl_msg *m;
	struct nlattr *n;
	char err[512];
	size_t i;
	int ret;

	/* an old module: no names */
	ret = dev_reply_with(0, NULL, 0, &devs);
	t_ok(ret == NL_OK && devs.n == 1 && devs.d[0].tenant == 2147483648u &&
	     !devs.d[0].tenant_name[0] && !devs.d[0].last_tenant_name[0] &&
	     !devs.d[0].reset_tenant_name[0], "reply: a dev without tenant-name has no name");
	pf_devs_free(&devs);
	ret = dev_reply_with(P2PFENCE_A_DEV_TENANT_NAME, UUID_A, sizeof(UUID_A), &devs);
	t_ok(ret == NL_OK && devs.n == 1 && !strcmp(devs.d[0].tenant_name, UUID_A) &&
	     !devs.d[0].last_tenant_name[0], "reply: tenant-name");
	pf_devs_free(&devs);
	ret = dev_reply_with(P2PFENCE_A_DEV_TENANT_NAME, NAME63, sizeof(NAME63), &devs);
	t_ok(ret == NL_OK && !strcmp(devs.d[0].tenant_name, NAME63), "reply: a 63-byte tenant-name");
	pf_devs_free(&devs);
	ret = dev_reply_with(P2PFENCE_A_DEV_LAST_TENANT_NAME, "vm-b", 5, &devs);
	t_ok(ret == NL_OK && !strcmp(devs.d[0].last_tenant_name, "vm-b") &&
	     !devs.d[0].tenant_name[0], "reply: last-tenant-name");
	pf_devs_free(&devs);
	ret = dev_reply_with(P2PFENCE_A_DEV_RESET_TENANT_NAME, "vm-c", 5, &devs);
	t_ok(ret == NL_OK && !strcmp(devs.d[0].reset_tenant_name, "vm-c"),
	     "reply: reset-tenant-name");
	pf_devs_free(&devs);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = dev_reply_with(bad[i].attr, bad[i].s, bad[i].len, &devs);
		t_ok(ret == -EPROTO, "reply: %s is malformed (-EPROTO, got %d)", bad[i].desc, ret);
		pf_devs_free(&devs);
	}

	/* several devices: a dev entry each, names in the entries */
	m = nl_reply(P2PFENCE_CMD_DEV_ASSIGN);
	for (i = 0; i < 2; i++) {
		n = nla_nest_start(m, P2PFENCE_A_DEV_DEV);
		nla_put_u32(m, P2PFENCE_A_DEV_DOMAIN, 0);
		nla_put_u16(m, P2PFENCE_A_DEV_BDF, (uint16_t)(0x500 + i * 0x100));
		nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 2147483648u);
		nla_put_string(m, P2PFENCE_A_DEV_TENANT_NAME, "vm-a");
		nla_put_u8(m, P2PFENCE_A_DEV_FENCED, 1);
		nla_nest_end(m, n);
	}
	ret = pf_devs_reply(m, &devs);
	t_ok(ret == NL_OK && devs.n == 2 && !strcmp(devs.d[0].tenant_name, "vm-a") &&
	     !strcmp(devs.d[1].tenant_name, "vm-a") && devs.d[1].id == FM_ID(0, 6, 0),
	     "reply: several devices, each entry's tenant-name");
	pf_devs_free(&devs);
	nlmsg_free(m);

	/* tenant-get */
	m = nl_reply(P2PFENCE_CMD_TENANT_GET);
	nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 2147483648u);
	nla_put_string(m, P2PFENCE_A_DEV_TENANT_NAME, UUID_A);
	n = nla_nest_start(m, P2PFENCE_A_DEV_DEV);
	nla_put_u32(m, P2PFENCE_A_DEV_DOMAIN, 0);
	nla_put_u16(m, P2PFENCE_A_DEV_BDF, 0x100);
	nla_nest_end(m, n);
	ret = pf_tenants_reply(m, &ts);
	t_ok(ret == NL_OK && ts.n == 1 && ts.t[0].tenant == 2147483648u &&
	     !strcmp(ts.t[0].name, UUID_A) && ts.t[0].devs.n == 1, "reply: tenant-get's tenant-name");
	nlmsg_free(m);
	m = nl_reply(P2PFENCE_CMD_TENANT_GET);
	nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 7);
	ret = pf_tenants_reply(m, &ts);
	t_ok(ret == NL_OK && ts.n == 2 && !ts.t[1].name[0], "reply: a tenant without a name");
	nlmsg_free(m);
	m = nl_reply(P2PFENCE_CMD_TENANT_GET);
	nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 7);
	n = nla_nest_start(m, P2PFENCE_A_DEV_DEV);
	nla_put_u32(m, P2PFENCE_A_DEV_DOMAIN, 0);
	nla_put_u16(m, P2PFENCE_A_DEV_BDF, 0x4200);
	nla_nest_end(m, n);
	ret = pf_tenants_reply(m, &ts);
	t_ok(ret == NL_OK && ts.n == 2 && ts.t[1].devs.n == 1 && ts.t[1].devs.d[0].id == 0x4200,
	     "reply: a tenant's devices going on in the next dump message join it");
	nlmsg_free(m);
	m = nl_reply(P2PFENCE_CMD_TENANT_GET);
	nla_put_u32(m, P2PFENCE_A_DEV_TENANT, 7);
	nla_put_string(m, P2PFENCE_A_DEV_TENANT_NAME, "7");
	cap_begin();
	ret = pf_tenants_reply(m, &ts);
	cap_end(err, sizeof(err));
	t_ok(ret == -EPROTO && strstr(err, "malformed"), "reply: tenant-get with a bad name: -EPROTO");
	nlmsg_free(m);
	pf_tenants_free(&ts);

	/* events */
	m = nl_reply(P2PFENCE_CMD_EVENT);
	nla_put_u32(m, P2PFENCE_A_EVENT_EVENT, P2PFENCE_EVENT_HANDOVER_RESET);
	nla_put_u32(m, P2PFENCE_A_EVENT_TENANT, 2147483649u);
	nla_put_string(m, P2PFENCE_A_EVENT_TENANT_NAME, "vm-b");
	nla_put_u32(m, P2PFENCE_A_EVENT_LAST_TENANT, 2147483648u);
	nla_put_string(m, P2PFENCE_A_EVENT_LAST_TENANT_NAME, UUID_A);
	ret = pf_event_parse(m, &ev);
	t_ok(!ret && ev.tenant == 2147483649u && !strcmp(ev.tenant_name, "vm-b") &&
	     !strcmp(ev.last_tenant_name, UUID_A), "event: tenant-name and last-tenant-name");
	pf_verdicts_free(&ev.v);
	nlmsg_free(m);
	m = nl_reply(P2PFENCE_CMD_EVENT);
	nla_put_u32(m, P2PFENCE_A_EVENT_EVENT, P2PFENCE_EVENT_ASSIGNED);
	nla_put_u32(m, P2PFENCE_A_EVENT_TENANT, 7);
	ret = pf_event_parse(m, &ev);
	t_ok(!ret && ev.tenant == 7 && !ev.tenant_name[0] && !ev.last_tenant_name[0],
	     "event: without names (an old module)");
	pf_verdicts_free(&ev.v);
	nlmsg_free(m);
	m = nl_reply(P2PFENCE_CMD_EVENT);
	nla_put_u32(m, P2PFENCE_A_EVENT_EVENT, P2PFENCE_EVENT_ASSIGNED);
	nla_put(m, P2PFENCE_A_EVENT_LAST_TENANT_NAME, 4, "vm-b");
	ret = pf_event_parse(m, &ev);
	t_ok(ret == -EPROTO, "event: a last-tenant-name without its NUL is malformed");
	pf_verdicts_free(&ev.v);
	nlmsg_free(m);
}

/* the tenant attributes of a request: id (0 absent) and name ("" absent) */
static void req_tenant(struct nlattr **tb, uint32_t *id, const char **name)
{
	*id = tb[P2PFENCE_A_DEV_TENANT] ? nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]) : 0;
	*name = "";
	if (tb[P2PFENCE_A_DEV_TENANT_NAME]) {
		*name = nla_data(tb[P2PFENCE_A_DEV_TENANT_NAME]);
		/* NUL-terminated, nothing after it */
		if (nla_len(tb[P2PFENCE_A_DEV_TENANT_NAME]) != (int)strlen(*name) + 1)
			*name = "(not a string)";
	}
}

/* @m's top-level attributes into @tb, @m freed; -1 when it does not parse */
static int req_parse(struct nl_msg *m, struct nlattr **tb, struct nl_msg **keep)
{
	*keep = m;
	if (!m)
		return -1;
	return genlmsg_parse(nlmsg_hdr(m), 0, tb, P2PFENCE_A_DEV_MAX, NULL);
}

static void test_requests(void)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1], *e[P2PFENCE_A_DEV_MAX + 1], *a;
	struct pf_tenant_ref named = { 0 }, seven = { 7, "" };
	const uint64_t ids[] = { FM_ID(0, 5, 0), FM_ID(0, 6, 0) };
	unsigned int nents, nbad;
	struct pf_nl nl = { 0 };
	struct owners o = { 0 };
	struct nl_msg *m;
	const char *name;
	uint32_t id;
	int rem;

	strcpy(named.name, UUID_A);
	/* dev assign, one device: the name at the top level, no tenant id */
	t_ok(!req_parse(pf_dev_msg(&nl, P2PFENCE_CMD_DEV_ASSIGN, 0, ids, 1, &named, false), tb, &m),
	     "request: dev-assign with a name builds");
	req_tenant(tb, &id, &name);
	t_ok(!id && !strcmp(name, UUID_A) && tb[P2PFENCE_A_DEV_DOMAIN],
	     "request: dev-assign by name: tenant-name (NUL-terminated), never tenant");
	nlmsg_free(m);
	req_parse(pf_dev_msg(&nl, P2PFENCE_CMD_DEV_ASSIGN, 0, ids, 1, &seven, true), tb, &m);
	req_tenant(tb, &id, &name);
	t_ok(id == 7 && !*name && tb[P2PFENCE_A_DEV_ACCEPT_NO_RESET],
	     "request: dev-assign by id: tenant, never tenant-name");
	nlmsg_free(m);
	/* several devices: the tenant at the top level, the entries hold devices only */
	req_parse(pf_dev_msg(&nl, P2PFENCE_CMD_DEV_ASSIGN, 0, ids, 2, &named, false), tb, &m);
	req_tenant(tb, &id, &name);
	nents = nbad = 0;
	nlmsg_for_each_attr(a, nlmsg_hdr(m), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		nents++;
		nbad += nla_parse_nested(e, P2PFENCE_A_DEV_MAX, a, NULL) < 0 ||
			e[P2PFENCE_A_DEV_TENANT] || e[P2PFENCE_A_DEV_TENANT_NAME];
	}
	t_ok(!id && !strcmp(name, UUID_A) && nents == 2 && !nbad && !tb[P2PFENCE_A_DEV_DOMAIN],
	     "request: dev-assign of several devices by name: tenant-name at the top level");
	nlmsg_free(m);
	/* release: the condition by name, or none */
	req_parse(pf_dev_msg(&nl, P2PFENCE_CMD_DEV_RELEASE, 0, ids, 1, &named, false), tb, &m);
	req_tenant(tb, &id, &name);
	t_ok(!id && !strcmp(name, UUID_A), "request: dev-release --tenant NAME: tenant-name");
	nlmsg_free(m);
	req_parse(pf_dev_msg(&nl, P2PFENCE_CMD_DEV_RELEASE, 0, ids, 2, NULL, false), tb, &m);
	req_tenant(tb, &id, &name);
	t_ok(!id && !*name, "request: dev-release without --tenant: no tenant at all");
	nlmsg_free(m);
	/* tenant-get: one by name (do), or all (dump) */
	req_parse(pf_tenant_msg(&nl, &named), tb, &m);
	req_tenant(tb, &id, &name);
	t_ok(!id && !strcmp(name, UUID_A) && !(nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP),
	     "request: tenant-get by name: tenant-name, a do");
	nlmsg_free(m);
	req_parse(pf_tenant_msg(&nl, NULL), tb, &m);
	req_tenant(tb, &id, &name);
	t_ok(!id && !*name && (nlmsg_hdr(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP,
	     "request: tenant show: a dump without a tenant");
	nlmsg_free(m);
	/* apply: each entry its tenant, by name or by id */
	owners_parse("t.conf", "05:00.0 vm-a\n06:00.0 7\n07:00.0 vm-a\n", 36, &o, &nbad);
	t_ok(!req_parse(pf_apply_msg(&nl, &o), tb, &m) && o.n == 3, "request: apply builds");
	nents = nbad = 0;
	nlmsg_for_each_attr(a, nlmsg_hdr(m), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		if (nla_parse_nested(e, P2PFENCE_A_DEV_MAX, a, NULL) < 0) {
			nbad++;
			continue;
		}
		req_tenant(e, &id, &name);
		nbad += nents == 1 ? id != 7 || *name : id || strcmp(name, "vm-a");
		nents++;
	}
	req_tenant(tb, &id, &name);
	t_ok(nents == 3 && !nbad && !id && !*name,
	     "request: apply: tenant-name or tenant in each dev entry, never both");
	nlmsg_free(m);
	owners_free(&o);
}

/* split_line(@in) joined with '|' into @out (the words), or "ERR" / "ERR:why" */
static const char *split_join(const char *in, char *out, size_t len)
{
	char buf[256], why[96], **v;
	int n, i;

	snprintf(buf, sizeof(buf), "%s", in);
	if (split_line(buf, &n, &v, why, sizeof(why))) {
		snprintf(out, len, "ERR:%s", why);
		return out;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "|" : "", v[i]);
	if (v[n])
		snprintf(out, len, "ERR: no NULL at argv[argc]");
	free(v);
	return out;
}

static void test_split_line(void)
{
	static const struct { const char *in, *want; } t[] = {
		{ "", "" },
		{ "   \t\r\n", "" },
		{ "# a comment", "" },
		{ "   # indented comment", "" },
		{ "dev show", "dev|show" },
		{ "  dev\tassign  0000:01:00.0   5 \r\n", "dev|assign|0000:01:00.0|5" },
		{ "dev show # trailing comment", "dev|show" },
		{ "dev show a#b", "dev|show|a#b" },
		{ "apply \"/tmp/my file\"", "apply|/tmp/my file" },
		{ "a \"\" b", "a||b" },
		{ "x\"y z\"w", "xy zw" },
		{ "\"a \\\" b\" \"c\\\\d\"", "a \" b|c\\d" },
		{ "\"# not a comment\"", "# not a comment" },
		{ "unterminated \"quote", "ERR:unterminated \" in word 2" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		t_ok(!strcmp(split_join(t[i].in, out, sizeof(out)), t[i].want),
		     "split_line case %zu -> '%s' (got '%s')", i, t[i].want, out);
}

/* unit --lspci-tree DUMP: "DEV PARENT" per function ("-" on a root bus), by address */
static int lspci_tree(const char *dump)
{
	char a[DEV_STRLEN], b[DEV_STRLEN];
	uint32_t *order, i, j, k;
	struct topo t;

	if (lspci_read(dump, NULL, &t))
		return 2;
	order = malloc(t.n * sizeof(*order));
	for (i = 0; i < t.n; i++)
		order[i] = i;
	for (i = 1; i < t.n; i++)
		for (j = i; j > 0 && t.nodes[order[j - 1]].id > t.nodes[order[j]].id; j--) {
			k = order[j];
			order[j] = order[j - 1];
			order[j - 1] = k;
		}
	for (i = 0; i < t.n; i++) {
		const struct fm_node *n = &t.nodes[order[i]];

		printf("%s %s\n", fmt_dev(n->id, a), n->parent < 0 ? "-" : fmt_dev(t.nodes[n->parent].id, b));
	}
	free(order);
	topo_free(&t);
	return 0;
}

/* --- the boot-time ACS policy (bootacs.c) */

/* the functions the policy is tried on */
static const struct bootacs_fn fn_rp = {		/* 0000:00:03.0, a root port */
	{ FM_ID(0, 0, 0x18) }, 1, 0x1b36, 0x000c, 0x1af4, 0x1100, true
};
static const struct bootacs_fn fn_ep = {		/* 0000:05:00.0 below a switch */
	{ FM_ID(0, 5, 0), FM_ID(0, 4, 0), FM_ID(0, 3, 0), FM_ID(0, 0, 0x18) }, 4,
	0x10de, 0x2330, 0x10de, 0x16c1, true
};
static const struct bootacs_fn fn_d1 = {		/* 0001:80:01.0, domain 1 */
	{ FM_ID(1, 0x80, 0x08) }, 1, 0x8086, 0x2030, 0, 0, true
};

/* pci_dev_str_match(): the string, the function, the answer, where it stops
 * (-1: at the end of the string) */
static const struct {
	const char *spec;
	const struct bootacs_fn *f;
	int want, end;
} str_cases[] = {
	{ "0000:00:03.0", &fn_rp, 1, -1 },
	{ "00:03.0", &fn_rp, 1, -1 },			/* the domain is 0 */
	{ "0:0:3.0", &fn_rp, 1, -1 },			/* no widths */
	{ "0x0:0x0:0x3.0x0", &fn_rp, 1, -1 },		/* %x takes "0x" */
	{ "0000:00:03.0x", &fn_rp, 1, -1 },		/* ... even with no digit after it */
	{ " 0000:00:03.0", &fn_rp, 1, -1 },		/* %x skips blanks */
	{ "0000:00:03.1", &fn_rp, 0, -1 },
	{ "0000:00:23.0", &fn_rp, 1, -1 },		/* PCI_DEVFN() keeps 5 bits of 23 */
	{ "0000:00:03.8", &fn_rp, 1, -1 },		/* ... and 3 of 8 */
	{ "0000:100:03.0", &fn_rp, 0, -1 },		/* bus 100: no function */
	{ "0001:00:03.0", &fn_rp, 0, -1 },
	{ "0001:80:01.0", &fn_d1, 1, -1 },
	{ "80:01.0", &fn_d1, 0, -1 },			/* domain 0 */
	{ "0000:00:03.0;0000:00:04.0", &fn_rp, 1, 12 },	/* stops at the ';' */
	{ "0000:00:04.0;0000:00:03.0", &fn_rp, 0, 12 },
	{ "0000:00:03.0/00.0/00.0/00.0", &fn_ep, 1, -1 },	/* a path from the root port */
	{ "0000:03:00.0/00.0/00.0", &fn_ep, 1, -1 },	/* ... or from any bridge above */
	{ "03:00.0/0.0/0.0", &fn_ep, 1, -1 },
	{ "0000:00:03.0/00.0/00.0", &fn_ep, 0, -1 },	/* one level short */
	{ "0000:00:03.0/00.0/01.0/00.0", &fn_ep, 0, -1 },	/* another port */
	{ "0000:00:00.0/00.0/03.0/00.0/00.0/00.0", &fn_ep, 0, -1 },	/* above the root bus */
	{ "0000:00:03.0/00.0", &fn_rp, 0, -1 },		/* the root port is not below itself */
	{ "0000:05:00.0", &fn_ep, 1, -1 },		/* its address */
	{ "zz/00.0", &fn_rp, 0, -1 },			/* the kernel reads from the right: */
	{ "zz/00.0", &fn_ep, -EINVAL, 0 },		/* ... bad only where it gets that far */
	{ "0000:00:03.0/0.0z", &fn_ep, -EINVAL, 0 },	/* ... not "/DEV.FN" and nothing else */
	{ "00.0/00.0", &fn_ep, -EINVAL, 0 },
	{ "garbage", &fn_rp, -EINVAL, 0 },
	{ "0000:00:03.0z", &fn_rp, -EINVAL, 0 },
	{ "", &fn_rp, -EINVAL, 0 },
	{ "pci:1b36:000c", &fn_rp, 1, -1 },
	{ "pci:1b36:000d", &fn_rp, 0, -1 },
	{ "pci:1b36:0", &fn_rp, 1, -1 },		/* 0 matches any */
	{ "pci:0:0", &fn_ep, 1, -1 },
	{ "pci:1b36:000c:1af4:1100", &fn_rp, 1, -1 },
	{ "pci:1b36:000c:1af4:1101", &fn_rp, 0, -1 },
	{ "pci:1b36:000c:0:1100", &fn_rp, 1, -1 },
	{ "pci:10de:2330:10de:16c1;x", &fn_ep, 1, 23 },
	{ "pci:1b36:000c:1af4", &fn_rp, 1, 13 },	/* three IDs: the third is not read */
	{ "pci:1b36:000d:1af4", &fn_rp, 0, 13 },
	{ "pci:11b36:000c", &fn_rp, 1, -1 },		/* %hx keeps 16 bits */
	{ "pci:1b36", &fn_rp, -EINVAL, 0 },
	{ "pci:", &fn_rp, -EINVAL, 0 },
	{ "pci:zz:1", &fn_rp, -EINVAL, 0 },
	{ "PCI:1b36:000c", &fn_rp, -EINVAL, 0 },	/* "pci:" is lowercase */
};

/* config_acs= flags: the string, the answer, mask, flags */
static const struct {
	const char *s;
	int want;
	uint16_t mask, flags;
} flag_cases[] = {
	{ "1111111", 0, 0x7f, 0x7f },
	{ "0000000", 0, 0x7f, 0 },
	{ "10x", 0, 0x06, 0x04 },		/* the kernel's example: RR on, TB off, SV kept */
	{ "x1x0", 0, 0x05, 0x04 },
	{ "X1", 0, 0x01, 0x01 },
	{ "", 0, 0, 0 },			/* nothing given: the firmware's value */
	{ "xxxxxxxxx1", 0, 0x01, 0x01 },	/* x past bit 6 is fine */
	{ "10000000", -ERANGE, 0xff, 0x80 },	/* a bit past DT */
	{ "1xxxxxxxxxxxxxxx", -ERANGE, 0x8000, 0x8000 },
	{ "1xxxxxxxxxxxxxxxx", 0, 0, 0 },	/* bit 16: gone in the kernel's u16 */
	{ "102", -EINVAL, 0, 0 },
	{ "1 1", -EINVAL, 0x01, 0x01 },		/* (what was read before the blank) */
	{ "@1", -EINVAL, 0x01, 0x01 },
};

/* bootacs_parse() + bootacs_match(): a command line, a function, what took effect */
static const struct {
	const char *desc, *cmdline;
	enum bootacs_kernel kernel;
	const struct bootacs_fn *f;
	int hit;
	uint16_t off, on;
	const char *note;
} parse_cases[] = {
	{ "disable_acs_redir: RR CR EC forced clear", "ro pci=disable_acs_redir=0000:00:03.0 quiet",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC, 0,
	  "disable_acs_redir=0000:00:03.0" },
	{ "commas: other pci= options around it", "pci=noaer,disable_acs_redir=pci:1b36:000c;0000:00:04.0,realloc",
	  BOOTACS_KERNEL_OLD, &fn_rp, 1, PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC, 0,
	  "disable_acs_redir=pci:1b36:000c" },
	{ "the second entry", "pci=disable_acs_redir=0000:00:04.0;0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "two pci= words: the last value is kept", "pci=disable_acs_redir=0000:00:03.0 pci=disable_acs_redir=0000:00:04.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "two pci= words, the other order", "pci=disable_acs_redir=0000:00:04.0 pci=noaer,disable_acs_redir=0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "one pci= word, given twice: the last", "pci=disable_acs_redir=0000:00:03.0,disable_acs_redir=",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "a quoted value", "pci=\"noaer,disable_acs_redir=0000:00:03.0\" quiet",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "a quoted word", "\"pci=disable_acs_redir=0000:00:03.0\"",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "after --: init's", "quiet -- pci=disable_acs_redir=0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "not the pci parameter", "xpci=disable_acs_redir=0000:00:03.0 pci.disable_acs_redir=0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "blanks: tabs, newline", "\tquiet\npci=disable_acs_redir=0000:00:03.0\n",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "a path below a switch", "pci=disable_acs_redir=0000:00:03.0/00.0/00.0/00.0",
	  BOOTACS_KERNEL_NEW, &fn_ep, 1, BOOTACS_REDIR_BITS, 0,
	  "disable_acs_redir=0000:00:03.0/00.0/00.0/00.0" },
	{ "a bad entry first: the kernel stops there", "pci=disable_acs_redir=bogus;0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "a bad path whose last DEV.FN is not this function's: read on",
	  "pci=disable_acs_redir=zz/04.0;0000:00:03.0", BOOTACS_KERNEL_NEW, &fn_rp, 1,
	  BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "text after an entry ends the list", "pci=disable_acs_redir=pci:1b36:000d:5;0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "no ACS capability: left alone", "pci=disable_acs_redir=0001:80:01.0",
	  BOOTACS_KERNEL_NEW, NULL, 0, 0, 0, NULL },
	{ "config_acs: set and clear", "pci=config_acs=1x1x0x1@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, PCI_ACS_RR, PCI_ACS_SV | PCI_ACS_UF | PCI_ACS_DT,
	  "config_acs=1x1x0x1@0000:00:03.0" },
	{ "config_acs: the second entry", "pci=config_acs=0@0000:00:04.0;xxx0xxx@pci:1b36:c",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, PCI_ACS_CR, 0, "config_acs=xxx0xxx@pci:1b36:c" },
	{ "config_acs before 6.11: unknown to the kernel", "pci=config_acs=0000000@0000:00:03.0",
	  BOOTACS_KERNEL_OLD, &fn_rp, 0, 0, 0, NULL },
	{ "config_acs, kernel unknown: taken as in effect", "pci=config_acs=0000000@0000:00:03.0",
	  BOOTACS_KERNEL_UNKNOWN, &fn_rp, 1, 0x7f, 0, "config_acs=0000000@0000:00:03.0" },
	{ "config_acs wins over disable_acs_redir", "pci=disable_acs_redir=0000:00:03.0,config_acs=xxxxx0x@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, PCI_ACS_TB, 0, "config_acs=xxxxx0x@0000:00:03.0" },
	{ "... but only where it names the function", "pci=disable_acs_redir=0000:00:03.0,config_acs=xxxxx0x@0000:00:04.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, BOOTACS_REDIR_BITS, 0, "disable_acs_redir=0000:00:03.0" },
	{ "config_acs: empty flags name nothing", "pci=config_acs=@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 1, 0, 0, "config_acs=@0000:00:03.0" },
	{ "config_acs: no '@' (the kernel's own example)", "pci=config_acs=10x",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "config_acs: the '@' of a later entry", "pci=config_acs=0000:00:04.0;11@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "config_acs: bad flags end the list", "pci=config_acs=1@0000:00:04.0;2@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "config_acs: a bit past DT ends the list", "pci=config_acs=10000000@0000:00:03.0",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "config_acs: pci:0:0 is every function", "pci=config_acs=0xxxxxx@pci:0:0",
	  BOOTACS_KERNEL_NEW, &fn_ep, 1, PCI_ACS_DT, 0, "config_acs=0xxxxxx@pci:0:0" },
	{ "no pci= at all", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet",
	  BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
	{ "an empty command line", "", BOOTACS_KERNEL_NEW, &fn_rp, 0, 0, 0, NULL },
};

/* what is said on stderr about a command line: each WANT, or nothing ("") */
static const struct {
	const char *cmdline;
	enum bootacs_kernel kernel;
	const char *want;
} lint_cases[] = {
	{ "pci=disable_acs_redir=0000:00:03.0;pci:10de:0:10de:16c1", BOOTACS_KERNEL_NEW, "" },
	{ "pci=config_acs=00111x1@0000:00:03.0;00111x1@0000:00:03.0/00.0/01.0", BOOTACS_KERNEL_NEW, "" },
	{ "pci=disable_acs_redir=0000:00:03.0;", BOOTACS_KERNEL_NEW, "" },
	{ "pci=disable_acs_redir=0000:00:03.0 pci=disable_acs_redir=0000:00:04.0", BOOTACS_KERNEL_NEW,
	  "pci=disable_acs_redir= given 2 times: the kernel keeps the last ('0000:00:04.0')" },
	{ "pci=disable_acs_redir=bogus;0000:00:03.0", BOOTACS_KERNEL_NEW,
	  "entry 1 'bogus': 'bogus' is neither [DOMAIN:]BUS:DEV.FN[/DEV.FN]... nor pci:VENDOR:DEVICE" },
	{ "pci=disable_acs_redir=0000:00:03.0;;0000:00:04.0", BOOTACS_KERNEL_NEW,
	  "entry 2 '': empty: the kernel cannot parse it" },
	{ "pci=disable_acs_redir=0000:00:03.0/zz", BOOTACS_KERNEL_NEW,
	  "'/zz' is not /DEV.FN (hex) in a path" },
	{ "pci=disable_acs_redir=pci:10de", BOOTACS_KERNEL_NEW,
	  "entry 1 'pci:10de': not pci:VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE] (hex)" },
	{ "pci=disable_acs_redir=pci:10de:2330:5;0000:00:03.0", BOOTACS_KERNEL_NEW,
	  "entry 1: ':5;0000:00:03.0' after 'pci:10de:2330' is not read" },
	{ "pci=disable_acs_redir=pci:110de:2330", BOOTACS_KERNEL_NEW,
	  "ID 110de is wider than 16 bits: the kernel reads 10de" },
	{ "pci=disable_acs_redir=0000:00:23.0", BOOTACS_KERNEL_NEW,
	  "a device number past 1f or a function past 7" },
	{ "pci=disable_acs_redir=0000:100:03.0", BOOTACS_KERNEL_NEW, "bus 100 is past ff" },
	{ "pci=config_acs=10x", BOOTACS_KERNEL_NEW, "no '@' after the flags (\"ACS Flags missing\")" },
	{ "pci=config_acs=1z@0000:00:03.0", BOOTACS_KERNEL_NEW,
	  "entry 1 '1z@0000:00:03.0': flags are 0, 1 or x (\"Invalid ACS flags\")" },
	{ "pci=config_acs=11111111@0000:00:03.0", BOOTACS_KERNEL_NEW,
	  "a flag past the 7th, DT (\"Invalid ACS flags specified\")" },
	{ "pci=config_acs=xxxxxxxxxxxxxxxxx@0000:00:03.0", BOOTACS_KERNEL_NEW,
	  "17 flags: past 16 the kernel's shift overflows its 16-bit mask" },
	{ "pci=config_acs=1@0000:00:03.0", BOOTACS_KERNEL_OLD,
	  "pci=config_acs= is ignored by this kernel (before 6.11" },
	{ "pci=config_acs=1@0000:00:03.0", BOOTACS_KERNEL_UNKNOWN,
	  "the kernel's version is unknown: pci=config_acs= is taken as in effect" },
};

static void test_bootacs_str(void)
{
	char buf[64];
	uint16_t mask, flags;
	const char *end;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(str_cases) / sizeof(str_cases[0]); i++) {
		const char *s = str_cases[i].spec;
		int want_end = str_cases[i].end < 0 ? (int)strlen(s) : str_cases[i].end;

		end = s;
		ret = bootacs_str_match(str_cases[i].f, s, &end);
		t_ok(ret == str_cases[i].want && (ret < 0 || end - s == want_end),
		     "bootacs: pci_dev_str_match('%s') on %s: %d, stops at %d (got %d at %d)", s,
		     fmt_dev(str_cases[i].f->chain[0], buf), str_cases[i].want, want_end, ret,
		     (int)(end - s));
	}
	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		ret = bootacs_flags(flag_cases[i].s, strlen(flag_cases[i].s), &mask, &flags);
		t_ok(ret == flag_cases[i].want && mask == flag_cases[i].mask &&
		     flags == flag_cases[i].flags,
		     "bootacs: config_acs flags '%s': %d mask %#x flags %#x (got %d %#x %#x)",
		     flag_cases[i].s, flag_cases[i].want, flag_cases[i].mask, flag_cases[i].flags, ret,
		     mask, flags);
	}
	t_ok(!strcmp(bootacs_flags_str(FM_NEED_PORT, FM_MUST_CLEAR, buf, sizeof(buf)), "00111x1"),
	     "bootacs: flags for a port: SV RR CR UF set, DT EC clear, TB left (%s)", buf);
	t_ok(!strcmp(bootacs_flags_str(FM_NEED_FUNC, FM_MUST_CLEAR, buf, sizeof(buf)), "00x11xx"),
	     "bootacs: flags for a function: RR CR set, DT EC clear (%s)", buf);
	ret = bootacs_flags(buf, strlen(buf), &mask, &flags);
	t_ok(!ret && mask == (FM_NEED_FUNC | FM_MUST_CLEAR) && flags == FM_NEED_FUNC,
	     "bootacs: the flags read back as they were written");
	t_ok(bootacs_kernel_of("6.12.57+deb13-amd64") == BOOTACS_KERNEL_NEW &&
	     bootacs_kernel_of("6.11.0") == BOOTACS_KERNEL_NEW &&
	     bootacs_kernel_of("6.10.14-1") == BOOTACS_KERNEL_OLD &&
	     bootacs_kernel_of("6.1.0-56-amd64") == BOOTACS_KERNEL_OLD &&
	     bootacs_kernel_of("7.0") == BOOTACS_KERNEL_NEW &&
	     bootacs_kernel_of("5.15.0") == BOOTACS_KERNEL_OLD &&
	     bootacs_kernel_of("linux") == BOOTACS_KERNEL_UNKNOWN,
	     "bootacs: kernel releases: config_acs= from 6.11");
}

static void test_bootacs_parse(void)
{
	const struct bootacs_fn nacs = { { FM_ID(1, 0x80, 0x08) }, 1, 0x8086, 0x2030, 0, 0, false };
	struct bootacs b;
	struct bootacs_hit h;
	char err[4096];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct bootacs_fn *f = parse_cases[i].f ? parse_cases[i].f : &nacs;

		cap_begin();
		ret = bootacs_parse("cmdline", parse_cases[i].cmdline, strlen(parse_cases[i].cmdline),
				    parse_cases[i].kernel, &b);
		memset(&h, 0, sizeof(h));
		if (!ret)
			ret = bootacs_match(&b, f, &h);
		cap_end(err, sizeof(err));
		t_ok(ret == parse_cases[i].hit && h.off == parse_cases[i].off &&
		     h.on == parse_cases[i].on &&
		     (!parse_cases[i].note || !strcmp(h.note, parse_cases[i].note)),
		     "bootacs: %s: %s (got %d off %#x on %#x '%s')", parse_cases[i].desc,
		     parse_cases[i].note ? parse_cases[i].note : "untouched", ret, h.off, h.on, h.note);
		bootacs_free(&b);
	}
	for (i = 0; i < sizeof(lint_cases) / sizeof(lint_cases[0]); i++) {
		cap_begin();
		bootacs_parse("cmdline", lint_cases[i].cmdline, strlen(lint_cases[i].cmdline),
			      lint_cases[i].kernel, &b);
		cap_end(err, sizeof(err));
		bootacs_free(&b);
		t_ok(*lint_cases[i].want ? !!strstr(err, lint_cases[i].want) : !err[0],
		     "bootacs: said of '%s': %s", lint_cases[i].cmdline,
		     *lint_cases[i].want ? lint_cases[i].want : "nothing");
		if (*lint_cases[i].want ? !strstr(err, lint_cases[i].want) : !!err[0])
			diag_lines("got:  ", err);
		t_ok(!*lint_cases[i].want || !strncmp(err, "p2pfencectl: warning: cmdline: ", 31),
		     "bootacs: ... as a warning naming the command line's source");
	}
	/* the relaxed bits: what the fence needs, forced the wrong way */
	h.off = BOOTACS_REDIR_BITS;
	h.on = 0;
	t_ok(bootacs_relaxed(&h, true) == (PCI_ACS_RR | PCI_ACS_CR) &&
	     bootacs_relaxed(&h, false) == (PCI_ACS_RR | PCI_ACS_CR),
	     "bootacs: disable_acs_redir relaxes RR CR on a port and on a function");
	h.off = PCI_ACS_SV | PCI_ACS_DT;
	t_ok(bootacs_relaxed(&h, true) == PCI_ACS_SV && !bootacs_relaxed(&h, false),
	     "bootacs: SV off relaxes a port, not a function; DT off relaxes nothing");
	h.off = 0;
	h.on = PCI_ACS_EC | PCI_ACS_SV | PCI_ACS_TB;
	t_ok(bootacs_relaxed(&h, true) == PCI_ACS_EC && bootacs_relaxed(&h, false) == PCI_ACS_EC,
	     "bootacs: EC forced on relaxes; SV and TB on do not");
	/* a long entry: the note is cut, not overrun */
	{
		char line[600];

		strcpy(line, "pci=disable_acs_redir=0000:00:03.0");
		for (i = 0; i < 100; i++)
			strcat(line, "/00.0");
		cap_begin();
		ret = bootacs_parse("cmdline", line, strlen(line), BOOTACS_KERNEL_NEW, &b);
		cap_end(err, sizeof(err));
		t_ok(!ret && !bootacs_match(&b, &fn_rp, &h), "bootacs: a 100-level path names no root port");
		bootacs_free(&b);
		line[200] = '\0';
		strcpy(line, "pci=config_acs=");
		for (i = 0; i < 40; i++)
			strcat(line, "xxxxxxxxxx");
		strcat(line, "0@0000:00:03.0");
		cap_begin();
		ret = bootacs_parse("cmdline", line, strlen(line), BOOTACS_KERNEL_NEW, &b);
		if (!ret)
			ret = bootacs_match(&b, &fn_rp, &h);
		cap_end(err, sizeof(err));
		t_ok(ret == 1 && strlen(h.note) == BOOTACS_NOTE_LEN - 1 &&
		     !strcmp(h.note + BOOTACS_NOTE_LEN - 4, "...") && h.off == PCI_ACS_SV,
		     "bootacs: a note longer than %d bytes is cut with '...'", BOOTACS_NOTE_LEN - 1);
		bootacs_free(&b);
	}
}

/* every function's config_acs= name on the lspci test machine names it and nothing else */
static void test_bootacs_spec(void)
{
	struct bootacs_fn f, g;
	struct topo t;
	char err[4096], spec[512], d[DEV_STRLEN];
	const char *end, *dump;
	size_t n;
	uint32_t i, j;
	bool good = true;

	dump = tx_machine(true, false, 4096, &n);
	if (lp(dump, machine_groups, &t, err, sizeof(err))) {
		t_ok(0, "bootacs: the lspci test machine reads (%s)", err);
		free((void *)dump);
		return;
	}
	for (i = 0; i < t.n; i++) {
		bootacs_fn_topo(&t, i, &f);
		bootacs_spec(&f, spec, sizeof(spec));
		for (j = 0; j < t.n; j++) {
			bootacs_fn_topo(&t, j, &g);
			if (bootacs_str_match(&g, spec, &end) != (i == j) || *end) {
				good = false;
				printf("# %s named %s; %s matched\n", fmt_dev(t.nodes[i].id, d), spec,
				       fmt_dev(t.nodes[j].id, err));
			}
		}
		if (t.nodes[i].id == FM_ID(0, 4, 1))
			t_ok(!strcmp(spec, "0000:00:02.0/00.0/00.0/00.1"),
			     "bootacs: a function below a switch is named by its path (%s)", spec);
	}
	t_ok(good, "bootacs: each of %u functions' names matches it alone", t.n);
	topo_free(&t);
	free((void *)dump);
}

/*
 * The online side on a sysfs tree (tests/ctl/mktree.py acs-switch, made by
 * run.sh, at $P2PF_UNIT_TREE): functions read one at a time, the notes of
 * verdicts, and where the fence holds a path against the policy.
 */
static void test_bootctx_tree(void)
{
	const char *tree = getenv("P2PF_UNIT_TREE");
	static const char line[] = "pci=disable_acs_redir=0000:00:03.0/00.0/01.0;0000:00:01.0";
	struct pf_verdict v[2] = {
		{ .kind = FM_ACS_DISABLED, .dev = FM_ID(0, 6, 0), .at = FM_ID(0, 4, 0x08),
		  .has_peer = true, .peer = FM_ID(0, 5, 0), .missing = PCI_ACS_RR | PCI_ACS_CR },
		{ .kind = FM_ACS_MISSING, .dev = FM_ID(0, 6, 0), .at = FM_ID(0, 4, 0x08),
		  .has_peer = true, .peer = FM_ID(0, 5, 0), .missing = PCI_ACS_RR },
	};
	struct boot_override *o;
	struct bootctx c;
	char err[4096];
	int n;

	if (!tree) {
		printf("ok - bootctx on a sysfs tree # SKIP P2PF_UNIT_TREE not set\n");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.root = tree;
	cap_begin();
	bootacs_parse("cmdline", line, strlen(line), BOOTACS_KERNEL_NEW, &c.pol);
	cap_end(err, sizeof(err));
	c.active = bootacs_any(&c.pol);
	bootctx_verdicts(&c, v, 2);
	t_ok(v[0].boot_policy && !strcmp(v[0].boot_policy, "disable_acs_redir=0000:00:03.0/00.0/01.0"),
	     "bootctx: sysfs: an acs-disabled verdict at the downstream port gets the note (%s)",
	     v[0].boot_policy ? v[0].boot_policy : "none");
	t_ok(!v[1].boot_policy, "bootctx: sysfs: an acs-missing verdict does not");
	t_ok(!bootctx_note(&c, FM_ID(0, 4, 0)) && !bootctx_note(&c, FM_ID(0, 0x1e, 0)),
	     "bootctx: sysfs: no note where nothing names the function, or it is not there");
	t_ok(bootctx_note(&c, FM_ID(0, 0, 0x08)) != NULL,
	     "bootctx: sysfs: the root port named second in the list has its note");
	/* 04:01.0's RR CR are clear in the tree: the fence has not overridden it */
	n = bootctx_overrides(&c, FM_ID(0, 6, 0), &o);
	t_ok(n == 0 && !o, "bootctx: sysfs: a path as the boot left it has no override (%d)", n);
	free(o);
	/* 01:00.0's root port has RR CR set: someone (the fence) overrode it */
	n = bootctx_overrides(&c, FM_ID(0, 1, 0), &o);
	t_ok(n == 1 && o[0].at == FM_ID(0, 0, 0x08) && o[0].bits == (PCI_ACS_RR | PCI_ACS_CR) &&
	     !strcmp(o[0].note, "disable_acs_redir=0000:00:01.0"),
	     "bootctx: sysfs: RR CR set where the policy cleared them: overridden by the fence");
	free(o);
	bootctx_free(&c);
}

static void test_bootacs(void)
{
	test_bootacs_str();
	test_bootacs_parse();
	test_bootacs_spec();
	test_bootctx_tree();
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--lspci-tree"))
		return lspci_tree(argv[2]);
	test_parse_dev();
	test_parse_tenant();
	test_owners();
	test_pcicfg();
	test_types();
	test_paths();
	test_json();
	test_names();
	test_split_line();
	test_replies();
	test_requests();
	test_lspci_good();
	test_lspci_bad();
	test_bootacs();
	printf("# unit: %d tests, %d failed\n", count, failed);
	return failed ? 1 : 0;
}

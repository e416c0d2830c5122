// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - `metrics`: the fence's state in the Prometheus text
 * exposition format, for node-exporter's textfile collector
 * (p2pfence-metrics.timer writes it to
 * /var/lib/prometheus/node-exporter/p2pfence.prom).
 *
 * Read-only: the verdicts come from a device dump, never from `audit`
 * (which repairs in enforce mode). Everything is gathered before the first
 * line is printed, so a failure prints nothing on stdout (and the timer's
 * rename keeps the previous file). The module not loaded is not a failure:
 * p2pfence_module_loaded 0, exit 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "fence_model.h"
#include "ipc.h"
#include "util.h"
#include "verdict.h"

#define STATS_PATH "/sys/kernel/debug/p2pfence/stats"

/* the gauges of debugfs p2pfence/stats (kmod/watch.c); every other name is a counter */
static const struct { const char *name, *help; } stat_gauges[] = {
	{ "owned_devices", "Devices in the module's owner table." },
	{ "owner_table_bytes", "Memory the owner table holds, in bytes." },
	{ "guarded_ports", "Ports whose fence bits the config-space guard keeps." },
	{ "watched_bridges", "Bridges the guard watches." },
	{ "wrapped_buses", "Buses whose config accessors the guard wraps." },
	{ "stuck_buses", "Buses the guard could not unwrap yet." },
	{ "guard_bytes", "Memory the config-space guard holds, in bytes." },
	{ "pinned", "1 while the module pins itself (a bus is wrapped)." },
};

static void metric_head(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static bool stat_name_ok(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/*
 * "name value" lines of @buf: a known gauge as p2pfence_<name>, anything
 * else as the counter p2pfence_<name>_total. Lines that are not a
 * snake_case name and an integer are skipped.
 */
static void stats_print(char *buf)
{
	char *line, *save = NULL, *end, name[128], help[192];
	const char *ghelp;
	long long v;
	size_t i, n;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp)
			continue;
		*sp = '\0';
		errno = 0;
		v = strtoll(sp + 1, &end, 10);
		if (!stat_name_ok(line) || errno || end == sp + 1 || *end)
			continue;
		ghelp = NULL;
		for (i = 0; i < sizeof(stat_gauges) / sizeof(stat_gauges[0]); i++)
			if (!strcmp(line, stat_gauges[i].name))
				ghelp = stat_gauges[i].help;
		if (ghelp) {
			snprintf(name, sizeof(name), "p2pfence_%s", line);
			metric_head(name, "gauge", ghelp);
		} else {
			if (v < 0)
				continue;	/* not a counter after all */
			n = strlen(line);
			snprintf(name, sizeof(name), "p2pfence_%s%s", line,
				 n >= 6 && !strcmp(line + n - 6, "_total") ? "" : "_total");
			snprintf(help, sizeof(help),
				 "The module's %s counter since it was loaded (debugfs p2pfence/stats).",
				 line);
			metric_head(name, "counter", help);
		}
		printf("%s %lld\n", name, v);
	}
}

int cmd_metrics(struct ctl *c, int argc, char **argv)
{
	unsigned int kinds[FM_KIND_MAX + 1] = { 0 }, nv = 0, host = 0, ten = 0, unfenced = 0;
	unsigned int waived = 0;
	unsigned int ntenants = 0, i, j, k;
	struct pf_devs devs = { 0 };
	uint32_t mode = 0;
	char stats[8192];
	long got = -1;
	int ret;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("metrics", 0);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_err("metrics", "metrics: unexpected argument '%s'", argv[1]);
	ret = ctl_nl(c, true);
	if (ret == -ENOENT) {
		metric_head("p2pfence_module_loaded", "gauge",
			    "1 when the p2pfence module answers on generic netlink, else 0.");
		printf("p2pfence_module_loaded 0\n");
		fflush(stdout);
		return EXIT_OK;
	}
	if (ret)
		return EXIT_USAGE;
	ret = pf_dev_get(&c->nl, PF_ALL_DEVS, &devs);
	if (ret) {
		ret = pf_nl_report(&c->nl, ret, "metrics: dev show");
		goto out;
	}
	ret = pf_mode(&c->nl, false, &mode);
	if (ret) {
		ret = pf_nl_report(&c->nl, ret, "metrics: mode show");
		goto out;
	}
	/* root only (0400), and debugfs may not be mounted: then no module counters */
	got = read_file(STATS_PATH, stats, sizeof(stats) - 1);
	if (got >= 0)
		stats[got] = '\0';

	for (i = 0; i < devs.n; i++) {
		const struct pf_dev *d = &devs.d[i];

		if (d->tenant) {
			ten++;
			unfenced += !d->fenced;
			for (j = 0; j < i; j++)
				if (devs.d[j].tenant == d->tenant)
					break;
			ntenants += j == i;
		} else {
			host++;
		}
		for (j = 0; j < d->v.n; j++) {
			/* waived by the quirk opt-in: reported, not a violation */
			if (!verdict_stands(&d->v.v[j])) {
				waived++;
				continue;
			}
			nv++;
			if (d->v.v[j].kind <= FM_KIND_MAX)
				kinds[d->v.v[j].kind]++;
		}
	}

	metric_head("p2pfence_module_loaded", "gauge",
		    "1 when the p2pfence module answers on generic netlink, else 0.");
	printf("p2pfence_module_loaded 1\n");
	metric_head("p2pfence_isolated", "gauge",
		    "1 when no device has a verdict and every tenant device is fenced "
		    "(from a device dump: nothing re-checked or repaired).");
	printf("p2pfence_isolated %d\n", !nv && !unfenced);
	metric_head("p2pfence_violations", "gauge",
		    "Verdicts against the current owner table, by kind.");
	for (k = 1; k <= FM_KIND_MAX; k++)
		printf("p2pfence_violations{kind=\"%s\"} %u\n", fm_kind_name(k), kinds[k]);
	metric_head("p2pfence_waived", "gauge",
		    "acs-faked verdicts the quirk opt-in (trust-quirk) waived: reported, not refused.");
	printf("p2pfence_waived %u\n", waived);
	metric_head("p2pfence_devices", "gauge",
		    "Devices (not ports or bridges) by owner: the host or a tenant.");
	printf("p2pfence_devices{owner=\"host\"} %u\n", host);
	printf("p2pfence_devices{owner=\"tenant\"} %u\n", ten);
	metric_head("p2pfence_unfenced_devices", "gauge",
		    "Tenant devices whose path is not fenced (audit mode, or a verdict).");
	printf("p2pfence_unfenced_devices %u\n", unfenced);
	metric_head("p2pfence_tenants", "gauge", "Tenants that own at least one device.");
	printf("p2pfence_tenants %u\n", ntenants);
	metric_head("p2pfence_mode", "gauge", "The module's mode: 1 for the one in force.");
	printf("p2pfence_mode{mode=\"enforce\"} %d\n", mode == P2PFENCE_MODE_ENFORCE);
	printf("p2pfence_mode{mode=\"audit\"} %d\n", mode == P2PFENCE_MODE_AUDIT);
	if (got >= 0)
		stats_print(stats);
	fflush(stdout);
	ret = EXIT_OK;
out:
	pf_devs_free(&devs);
	return ret;
}

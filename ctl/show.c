// SPDX-License-Identifier: GPL-2.0
/*
 * show.c - the printers of what the module reports: devices, tenants and
 * events (see show.h). Verdicts print through verdict.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "bootacs.h"
#include "fence_model.h"
#include "json.h"
#include "show.h"
#include "util.h"
#include "verdict.h"

/* enum p2pfence_reset_method, from 1 (the spec's names) */
static const char *const method_names[] = {
	NULL, "device-specific", "acpi", "flr", "af-flr", "pm", "bus", "cxl-bus",
};
_Static_assert(P2PFENCE_RESET_METHOD_DEVICE_SPECIFIC == 1 &&
	       P2PFENCE_RESET_METHOD_CXL_BUS == sizeof(method_names) / sizeof(method_names[0]) - 1,
	       "method_names follows enum p2pfence_reset_method");

static const char *const event_names[] = {
	[P2PFENCE_EVENT_ASSIGNED] = "assigned",
	[P2PFENCE_EVENT_RELEASED] = "released",
	[P2PFENCE_EVENT_REFUSED] = "refused",
	[P2PFENCE_EVENT_VIOLATION] = "violation",
	[P2PFENCE_EVENT_DRIFT_REPAIRED] = "drift-repaired",
	[P2PFENCE_EVENT_WRITE_BLOCKED] = "write-blocked",
	[P2PFENCE_EVENT_DEVICE_REMOVED] = "device-removed",
	[P2PFENCE_EVENT_HANDOVER_RESET] = "handover-reset",
	[P2PFENCE_EVENT_VFIO_BOUND] = "vfio-bound",
	[P2PFENCE_EVENT_TRUST_CHANGED] = "trust-changed",
	[P2PFENCE_EVENT_QUIRK_TRUST] = "quirk-trust",
};

#define NAMES(t) t, sizeof(t) / sizeof(t[0])

const char *reset_method_name(unsigned int method, char *buf)
{
	return enum_name(NAMES(method_names), method, "method", buf);
}

char *fmt_utc(uint64_t secs, char *buf)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (secs > (uint64_t)INT64_MAX || (uint64_t)t != secs || !gmtime_r(&t, &tm) ||
	    !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "@%llu", (unsigned long long)secs);
	return buf;
}

void tenant_field_print(const char *key, const char *fmt, uint32_t id, const char *name)
{
	char k[48], t[TENANT_STRLEN];

	out_uint(key, NULL, id);
	if (name && *name) {
		snprintf(k, sizeof(k), "%s_name", key);
		out_str(k, NULL, name);
	}
	if (fmt)
		out_text(fmt, fmt_tenant(id, name, t));
}

/* "  " and each verdict on its line (text), a "violations" list (JSON) */
static void verdicts_print(const struct pf_verdicts *v, bool fix_note)
{
	unsigned int i;

	out_arr_open("violations");
	for (i = 0; i < v->n; i++) {
		out_text("  ");
		verdict_print(&v->v[i], fix_note);
	}
	out_arr_close();
}

/* "  AT: relaxed at boot by NOTE, overridden by the fence: set RR CR" a line each
 * (text), a "boot_overrides" list of {at, boot_policy, overridden} (JSON) */
static void overrides_print(const struct pf_dev *d)
{
	const struct boot_override *o;
	uint16_t set, clear;
	char a[DEV_STRLEN], bs[32];
	unsigned int i;

	out_arr_open("boot_overrides");
	for (i = 0; i < d->nboot; i++) {
		o = &d->boot[i];
		set = o->bits & ~FM_MUST_CLEAR;
		clear = o->bits & FM_MUST_CLEAR;
		out_obj_open(NULL);
		out_str("at", "  %s:", fmt_dev(o->at, a));
		out_str("boot_policy", " relaxed at boot by %s, overridden by the fence:", o->note);
		if (set)
			out_text(" set %s", fm_acs_bits_str(set, bs, sizeof(bs)));
		if (clear)
			out_text(" clear %s", fm_acs_bits_str(clear, bs, sizeof(bs)));
		if (out_json())
			acs_bits_print("overridden", o->bits);
		out_text("\n");
		out_obj_close();
	}
	out_arr_close();
}

int pf_devs_annotate(struct bootctx *c, struct pf_devs *devs)
{
	struct pf_dev *d;
	unsigned int i;
	int n;

	for (i = 0; i < devs->n; i++) {
		d = &devs->d[i];
		bootctx_verdicts(c, d->v.v, d->v.n);
		if (!d->tenant)
			continue;
		n = bootctx_overrides(c, d->id, &d->boot);
		if (n < 0)
			return n;
		d->nboot = (unsigned int)n;
	}
	return 0;
}

void pf_dev_print(const struct pf_dev *d)
{
	char buf[DEV_STRLEN], t[32], m[24];

	out_obj_open(NULL);
	out_str("dev", "%s", fmt_dev(d->id, buf));
	if (d->tenant) {
		tenant_field_print("tenant", " tenant %s", d->tenant, d->tenant_name);
		out_bool("fenced", NULL, d->fenced);
		out_text(d->fenced ? " fenced" : " NOT fenced");
	} else {
		out_uint("tenant", " host", 0);
		out_bool("fenced", NULL, false);
	}
	out_bool("vfio", NULL, d->vfio);
	if (d->vfio)
		out_text(d->tenant ? " on vfio-pci" : " on vfio-pci, assigned to no tenant");
	out_bool("unreset", NULL, d->unreset);
	if (d->unreset)
		out_text(" unreset");
	/* in text, only when it says something: a tenant other than the owner */
	if (d->has_last_tenant)
		tenant_field_print("last_tenant", d->last_tenant != d->tenant ? " last tenant %s" : NULL,
				   d->last_tenant, d->last_tenant_name);
	else
		out_null("last_tenant", NULL);
	out_text(d->has_reset ? " reset" : "");
	if (d->has_reset && d->reset_method)
		out_str("reset_method", " %s", reset_method_name(d->reset_method, m));
	else
		out_null("reset_method", NULL);
	if (d->has_reset)
		out_str("reset_time", " at %s", fmt_utc(d->reset_time, t));
	else
		out_null("reset_time", NULL);
	if (d->has_reset && d->reset_tenant)
		tenant_field_print("reset_tenant", " for tenant %s", d->reset_tenant,
				   d->reset_tenant_name);
	else
		out_null("reset_tenant", NULL);
	out_text("\n");
	overrides_print(d);
	verdicts_print(&d->v, true);
	out_obj_close();
}

void pf_tenant_print(const struct pf_tenant *t)
{
	char d[DEV_STRLEN];
	unsigned int i;

	out_obj_open(NULL);
	tenant_field_print("tenant", "tenant %s", t->tenant, t->name);
	if (t->name[0])
		out_text(" (id %u)", t->tenant);
	out_bool("trust_ats", t->trust_ats ? " (ATS trusted)" : NULL, t->trust_ats);
	out_text(":");
	out_arr_open("devs");
	for (i = 0; i < t->devs.n; i++) {
		const struct pf_dev *e = &t->devs.d[i];

		out_obj_open(NULL);
		out_str("dev", " %s", fmt_dev(e->id, d));
		out_bool("fenced", NULL, e->fenced);
		out_text(e->fenced ? " (fenced)" : " (NOT fenced)");
		out_obj_close();
	}
	out_arr_close();
	out_text("\n");
	out_obj_close();
}

void pf_event_print(const struct pf_event *ev)
{
	char d[DEV_STRLEN], k[24], m[24], q[16];

	out_obj_open(NULL);
	out_str("event", "%s", enum_name(NAMES(event_names), ev->event, "event", k));
	if (ev->has_dev)
		out_str("dev", " %s", fmt_dev(ev->dev, d));
	else
		out_null("dev", NULL);
	if (ev->has_tenant)
		tenant_field_print("tenant", " tenant %s", ev->tenant, ev->tenant_name);
	if (ev->has_last_tenant)
		tenant_field_print("last_tenant", " last tenant %s", ev->last_tenant,
				   ev->last_tenant_name);
	if (ev->has_reset_method)
		out_str("reset_method", " reset %s", reset_method_name(ev->reset_method, m));
	if (ev->has_trust)
		out_bool("trust_ats", ev->trust_ats ? " ATS trusted" : " ATS not trusted",
			 ev->trust_ats);
	if (ev->has_quirk) {
		snprintf(q, sizeof(q), "%04x:%04x", ev->quirk >> 16, ev->quirk & 0xffff);
		out_str("quirk", " %s", q);
		out_bool("trusted", ev->trusted ? " trusted" : " withdrawn", ev->trusted);
	}
	if (ev->comm)
		out_str("comm", " by %s", ev->comm);
	out_text("\n");
	verdicts_print(&ev->v, false);
	out_obj_close();
}

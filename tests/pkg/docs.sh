#!/bin/bash
# doc/p2pfence.4 renders without warnings and agrees with the code: every
# module parameter (kmod/*.c) is documented there and in the modprobe.d
# example, and every event and verdict kind of uapi/p2pfence.yaml is named.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
man4=$top/doc/p2pfence.4
example=$top/scripts/modprobe.d/p2pfence.conf

if ! command -v man >/dev/null; then
	skip "p2pfence.4 renders without warnings" "man-db not installed"
else
	w=$(MANWIDTH=80 man --warnings -l "$man4" 2>&1 >/dev/null)
	[ -z "$w" ] && ok "p2pfence.4 renders without warnings" ||
		{ not_ok "p2pfence.4 renders without warnings"; indent <<<"$w"; }
fi

# source of truth: module_param(NAME, ...), module_param_named(NAME, ...),
# module_param_cb(NAME, ...)
params=$(sed -n 's/^[[:space:]]*module_param\(_named\|_cb\)\{0,1\}([[:space:]]*\([A-Za-z0-9_]*\).*/\2/p' \
	"$top"/kmod/*.c | sort -u)
if [ -z "$params" ]; then
	not_ok "module parameters found in kmod/*.c"
else
	miss_man= miss_ex=
	for p in $params; do
		grep -q "^\.B[RI]\{0,1\} $p=" "$man4" || miss_man="$miss_man $p"
		grep -q "^options p2pfence $p=" "$example" || miss_ex="$miss_ex $p"
	done
	[ -z "$miss_man" ] && ok "p2pfence.4 documents every module parameter ($(echo $params))" ||
		not_ok "p2pfence.4 documents every module parameter (missing:$miss_man)"
	[ -z "$miss_ex" ] && ok "modprobe.d example sets every module parameter" ||
		not_ok "modprobe.d example sets every module parameter (missing:$miss_ex)"
	extra=
	for p in $(sed -n 's/^options p2pfence \([A-Za-z0-9_]*\)=.*/\1/p' "$example"); do
		grep -qx "$p" <<<"$params" || extra="$extra $p"
	done
	for p in $(sed -n 's/^\.B[RI] \([a-z_]*\)=.*/\1/p' "$man4"); do
		grep -qx "$p" <<<"$params" || extra="$extra $p"
	done
	[ -z "$extra" ] && ok "no documented parameter that the module lacks" ||
		not_ok "no documented parameter that the module lacks (unknown:$extra)"
fi

# modprobe itself parses the example
if command -v modprobe >/dev/null; then
	n=$(modprobe -c -C "$example" 2>/dev/null | grep -c '^options p2pfence ')
	[ "$n" -eq "$(grep -c '^options p2pfence ' "$example")" ] &&
		ok "modprobe parses the modprobe.d example" ||
		not_ok "modprobe parses the modprobe.d example ($n options lines read)"
fi

# events and verdict kinds of the netlink spec are named in the man page
names=$(python3 - "$top/uapi/p2pfence.yaml" <<'PY' 2>&1
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
for d in spec["definitions"]:
    if d["name"] in ("event", "verdict-kind", "mode"):
        for e in d["entries"]:
            print(e["name"] if isinstance(e, dict) else e)
for op in spec["operations"]["list"]:
    if op["name"] != "event":
        print(op["name"])
for g in spec.get("mcast-groups", {}).get("list", []):
    print(g["name"])
PY
)
if [ $? -ne 0 ] || [ -z "$names" ]; then
	not_ok "uapi/p2pfence.yaml parses"
	indent <<<"$names"
else
	text=$(LC_ALL=C MANWIDTH=200 man -l "$man4" 2>/dev/null)
	miss=
	for n in $names; do grep -qw -- "$n" <<<"$text" || miss="$miss $n"; done
	[ -z "$miss" ] && ok "p2pfence.4 names every event, verdict kind, mode, op and group of the spec" ||
		not_ok "p2pfence.4 names every event, verdict kind, mode, op and group of the spec (missing:$miss)"
fi
tap_status; exit

# topology: two-rootports
# kernels: 6.1 6.12 debug
# timeout: 600
# Privilege. With a tenant assigned, three callers try
# every operation (each do, and both dumps) and the `monitor` group:
#   - uid 65534 with no capabilities, init namespaces;
#   - root of a new user namespace, init network namespace;
#   - root of a new user namespace and a new network namespace.
# Every operation must fail with EPERM (GENL_ADMIN_PERM checks CAP_NET_ADMIN
# in the initial user namespace; the handlers also refuse other netns).
# `monitor` is flagged GENL_MCAST_CAP_NET_ADMIN, which both 6.1 (Debian
# 6.1.192 carries the backport) and 6.12 check at bind as
# ns_capable(net->user_ns, CAP_NET_ADMIN): the first two callers are
# refused; root of a new userns+netns owns that netns and may join its
# group there, but events go to init_net only, so it must receive nothing
# while root assigns and releases devices (a control listener in init_net
# must see them).
. /p2pfence/lib.sh

check "insmod" mod_load
expect_rc 0 "assign 01:00.0 to tenant 1" nlfuzz assign 01:00.0 1

run_perm() { # desc, userns args...
	d=$1
	shift
	nlfuzz userns "$@" -- nlfuzz perm >/tmp/perm.out 2>&1
	sed 's/^/#   /' /tmp/perm.out
	if grep -q '^perm: family .* not visible' /tmp/perm.out; then
		ok "$d: family not visible"
		return
	fi
	expect_eq "$(sed -n 's/^PERM_OPS //p' /tmp/perm.out)" all-eperm "$d: EPERM on every op and dump"
}

run_perm "uid 65534" -u 65534
expect_eq "$(sed -n 's/^PERM_MONITOR //p' /tmp/perm.out)" refused "uid 65534: cannot join monitor"
run_perm "root in a new userns" 
expect_eq "$(sed -n 's/^PERM_MONITOR //p' /tmp/perm.out)" refused "userns root: cannot join monitor"
run_perm "root in a new userns + netns" -n
mon=$(sed -n 's/^PERM_MONITOR //p' /tmp/perm.out)
diag "userns+netns root and monitor: $mon (its own netns)"

# events: a control listener in init_net, and the userns+netns listener
nlfuzz monitor-listen 8 >/tmp/mon-root.out 2>&1 &
nlfuzz userns -n -- nlfuzz monitor-listen 8 >/tmp/mon-ns.out 2>&1 &
nlfuzz userns -u 65534 -- nlfuzz monitor-listen 8 >/tmp/mon-nobody.out 2>&1 &
sleep 3
for i in 1 2 3; do
	nlfuzz assign 02:00.0 2 >/dev/null
	nlfuzz release 02:00.0 >/dev/null
done
wait
sed 's/^/# root: /' /tmp/mon-root.out
sed 's/^/# userns+netns: /' /tmp/mon-ns.out
sed 's/^/# uid 65534: /' /tmp/mon-nobody.out
root_ev=$(sed -n 's/^MONITOR events //p' /tmp/mon-root.out)
ns_ev=$(sed -n 's/^MONITOR events //p' /tmp/mon-ns.out)
expect_ne "${root_ev:-0}" 0 "control: root in init_net receives events ($root_ev)"
if grep -q 'join refused' /tmp/mon-ns.out; then
	ok "userns+netns root: monitor join refused"
else
	expect_eq "${ns_ev:-0}" 0 "userns+netns root: joined its own netns' group, received no event"
fi
expect_match "$(cat /tmp/mon-nobody.out)" "join refused" "uid 65534: monitor join refused"

# the CLI as an unprivileged user: exit 2 and EPERM, no tenant data
if have_ctl; then
	expect_rc 2 "p2pfencectl dev show as uid 65534 exits 2" nlfuzz userns -u 65534 -- "$CTL" dev show
	expect_eq "$(printf '%s\n' "$OUT" | grep -c '01:00.0')" 0 "no tenant data printed to uid 65534"
	expect_rc 2 "p2pfencectl tenant show in a userns exits 2" nlfuzz userns -- "$CTL" tenant show
fi

nlfuzz release 01:00.0 >/dev/null
check "rmmod" mod_unload
expect_no_splat
echo "PERM callers=3 ops=10/caller failed_checks=$tap_failed netns_monitor=$mon netns_events=${ns_ev:-0} init_events=${root_ev:-0}"
finish

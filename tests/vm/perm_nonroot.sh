# topology: mixed
# kernels: 6.1 6.12
# A user without CAP_NET_ADMIN gets EPERM on every operation, dumps and the
# monitor group included, and changes nothing.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null || echo 'nogroup:x:65534:' >>/etc/group
chmod 755 /p2pfence "$C" 2>/dev/null
printf '0000:01:00.0 9\n' >/tmp/perm.conf
chmod 644 /tmp/perm.conf

expect_rc 0 "root: assign 02:00.0 to tenant 2" $C dev assign 0000:02:00.0 2
expect_eq "$(su -s /bin/sh nobody -c 'id -u')" 65534 "su to nobody works"
before=$($C -j dev show; $C mode show)

denied() { # DESC ARGS...
	_d=$1
	shift
	OUT=$(su -s /bin/sh nobody -c "timeout 5 $C $*" 2>&1)
	_rc=$?
	case $OUT in
	*"Operation not permitted"*|*"ermission denied"*|*EPERM*)
		if [ $_rc = 2 ]; then ok "$_d: EPERM, exit 2"; else not_ok "$_d: exit $_rc, want 2"; fi ;;
	*) not_ok "$_d: not EPERM (exit $_rc)"; printf '%s\n' "$OUT" | sed 's/^/#   /' ;;
	esac
}
denied "dev assign" dev assign 0000:01:00.0 9
denied "dev release" dev release 0000:02:00.0
denied "dev show DEV" dev show 0000:02:00.0
denied "dev show (dump)" dev show
denied "tenant show TENANT" tenant show 2
denied "tenant show (dump)" tenant show
denied "audit" audit
denied "apply" apply /tmp/perm.conf
denied "mode show" mode show
denied "mode set" mode set audit
denied "monitor" monitor

expect_eq "$($C -j dev show; $C mode show)" "$before" "nothing changed"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish

# topology: mixed
# kernels: 6.1 6.12
# The module loads and unloads cleanly, three times, with a kernel log free
# of warnings, BUGs, oopses, call traces and unexpected taint.
. /p2pfence/lib.sh

diag "kernel $(uname -r)"
lspci -tv | sed 's/^/# /'

for i in 1 2 3; do
	check "insmod #$i" mod_load
	check "loaded #$i" mod_loaded
	check "rmmod #$i" mod_unload
	if mod_loaded; then not_ok "unloaded #$i"; else ok "unloaded #$i"; fi
done

bad=$(dmesg_bad)
expect_eq "$bad" "" "dmesg has no warning, BUG, oops, call trace or taint line"
expect_eq "$(taint_unexpected)" 0 "no taint beyond O/E (out-of-tree, unsigned)"
dmesg | grep -i p2pfence | sed 's/^/# /'
finish

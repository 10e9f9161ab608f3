# SPDX-License-Identifier: GPL-2.0-only
# SIGKILL of a VMM leaves hv.ko clean: the domain goes, the name is free.
hv create "$(mkcfg killed halt)" || fail "create"
wait_init killed
pid=$(vmm_pids)
kill -9 "$pid"
wait_for 5 gone killed || fail "domain still registered after SIGKILL of its VMM"
hv create "$(mkcfg killed halt)" || fail "name not reusable"
hv destroy killed || fail "destroy"

// SPDX-License-Identifier: GPL-2.0-only
/*
 * shutdown.c: hv shutdown and hv reboot. As xl does, through the guest's
 * control/shutdown node when its kernel says it understands it
 * (control/feature-poweroff, -reboot); otherwise through the VMM, which
 * sends the guest magic SysRq on its serial port.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/xs_client.h"
#include "tools/tools.h"

#define SHUTDOWN_WAIT_S 120

/* -w: until the domain is gone, or kept in a shut-down (or crashed) state. */
static int wait_down(const struct hvctl_domain_info *dom)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct hvctl_domain_info d;
	int i;

	for (i = 0; i < SHUTDOWN_WAIT_S * 10; i++) {
		int r = hvctl_name_exists(dom->name, &d);

		if (r < 0)
			return 1;
		/* A new domain with the name (on_poweroff=restart) is not ours. */
		if (r == 0 || d.domid != dom->domid || d.state == HVCTL_STATE_SHUTDOWN ||
		    d.state == HVCTL_STATE_CRASHED)
			return 0;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "hv: domain '%s' did not shut down within %d s\n", dom->name,
		SHUTDOWN_WAIT_S);
	return 1;
}

/*
 * Ask through the store: 1 if the guest's kernel takes control/shutdown
 * and the request is written, 0 if it does not (or there is no store),
 * -1 if writing failed.
 */
static int request_via_store(const struct hvctl_domain_info *d, const char *what)
{
	const char *env = getenv("XENSTORED_PATH");
	const char *word = !strcmp(what, "reboot") ? "reboot" : "poweroff";
	char path[96], *value = NULL;
	struct xs_client *h;
	unsigned int len;
	int err, yes;

	h = xs_client_open(env && *env ? env : XS_CLIENT_SOCKET);
	if (!h)
		return 0;
	snprintf(path, sizeof(path), "/local/domain/%u/control/feature-%s", d->domid, word);
	err = xs_client_read(h, 0, path, &value, &len);
	yes = !err && !strcmp(value, "1");
	free(value);
	if (!yes) {
		xs_client_close(h);
		return 0;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d->domid);
	err = xs_client_write(h, 0, path, word, (unsigned int)strlen(word));
	xs_client_close(h);
	if (err) {
		fprintf(stderr, "hv: domain '%s': writing %s: %s\n", d->name, path,
			xs_client_strerror(err));
		return -1;
	}
	return 1;
}

/* Send WHAT to DOM (store or VMM); ALLOW_WAIT: -w is an option. */
static int request(int argc, char **argv, const char *what, int allow_wait)
{
	struct hvctl_domain_info d;
	const char *dom = NULL;
	char reply[256];
	int wait = 0, fd, i;

	for (i = 1; i < argc; i++) {
		if (allow_wait && !strcmp(argv[i], "-w"))
			wait = 1;
		else if (argv[i][0] == '-' || dom)
			die_usage(argv[0]);
		else
			dom = argv[i];
	}
	if (!dom)
		die_usage(argv[0]);
	if (hvctl_find(dom, &d))
		return 1;
	switch (request_via_store(&d, what)) {
	case 1:
		printf("%s domain %u (%s): control/shutdown\n",
		       !strcmp(what, "reboot") ? "Rebooting" : "Shutting down", d.domid, d.name);
		fflush(stdout);
		return wait ? wait_down(&d) : 0;
	case -1:
		return 1;
	}
	fd = vmmsock_connect(d.name, what);
	if (fd < 0)
		return 1;
	if (vmmsock_reply(fd, reply, sizeof(reply))) {
		fprintf(stderr, "hv: domain '%s': no answer from its VMM\n", d.name);
		close(fd);
		return 1;
	}
	close(fd);
	if (strcmp(reply, "OK") && strncmp(reply, "OK ", 3)) {
		fprintf(stderr, "hv: domain '%s': %s refused: %s\n", d.name, what,
			!strncmp(reply, "ERR ", 4) ? reply + 4 : reply);
		return 1;
	}
	printf("%s domain %u (%s)%s%s\n", !strcmp(what, "reboot") ? "Rebooting" :
	       "Shutting down", d.domid, d.name, reply[2] ? ":" : "", reply + 2);
	fflush(stdout);
	return wait ? wait_down(&d) : 0;
}

int cmd_shutdown(int argc, char **argv)
{
	return request(argc, argv, "shutdown", 1);
}

int cmd_reboot(int argc, char **argv)
{
	return request(argc, argv, "reboot", 0);
}

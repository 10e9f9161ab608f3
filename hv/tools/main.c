// SPDX-License-Identifier: GPL-2.0-only
/* main.c: hv, the toolstack: one subcommand per file, dispatched from here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "create", cmd_create, "create CFG [-c]     start a domain; -c attaches its console" },
	{ "list", cmd_list, "list [DOM]          list domains" },
	{ "console", cmd_console, "console DOM         attach to the serial console (Ctrl-] detaches)" },
	{ "shutdown", cmd_shutdown, "shutdown DOM [-w]   ask the guest to power off; -w waits" },
	{ "reboot", cmd_reboot, "reboot DOM          ask the guest to reboot" },
	{ "destroy", cmd_destroy, "destroy DOM         end the domain at once" },
	{ "mem-set", cmd_mem_set, "mem-set DOM SIZE    balloon target (MiB; 112, 112m, 1g)" },
	{ "mem-max", cmd_mem_max, "mem-max DOM SIZE    memory ceiling (MiB; 112, 112m, 1g)" },
	{ "info", cmd_info, "info                hypervisor and host facts" },
	{ "network-attach", cmd_network_attach,
	  "network-attach DOM SPEC  add a vif (xl's spec: bridge=,mac=,rate=...)" },
	{ "network-detach", cmd_network_detach, "network-detach DOM DEVID  remove vif DEVID" },
	{ "network-list", cmd_network_list, "network-list DOM    list the domain's vifs" },
	{ "block-attach", cmd_block_attach, "block-attach DOM SPEC  add a disk (xl's DISKSPEC)" },
	{ "block-detach", cmd_block_detach, "block-detach DOM VDEV  remove a disk" },
	{ "block-list", cmd_block_list, "block-list DOM      list a domain's disks" },
	{ "pci-assignable-add", cmd_pci_assignable_add, "pci-assignable-add BDF    give a device to pciback" },
	{ "pci-assignable-remove", cmd_pci_assignable_remove, "pci-assignable-remove [-r] BDF  take it back (-r: rebind its dom0 driver)" },
	{ "pci-assignable-list", cmd_pci_assignable_list, "pci-assignable-list  devices pciback holds" },
	{ "pci-attach", cmd_pci_attach, "pci-attach DOM BDF[,permissive=1]  pass a device to a domain" },
	{ "pci-detach", cmd_pci_detach, "pci-detach DOM BDF  take it back" },
	{ "pci-list", cmd_pci_list, "pci-list DOM        a domain's PCI devices" },
	{ "debug-regs", cmd_debug_regs, "debug-regs DOM      where each vCPU is (registers, interrupts)" },
	{ "sysrq", cmd_sysrq, "sysrq DOM KEY       send magic SysRq KEY to the guest's serial port" },
	{ "devices-add", cmd_devices_add,
	  "devices-add DOM CFG  write CFG's disks, PCI devices and vifs for DOM (a restart does)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: hv COMMAND [ARGS]   (DOM is a name or a domid)\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  hv %s\n", commands[i].usage);
}

void die_usage(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			fprintf(stderr, "usage: hv %s\n", commands[i].usage);
	exit(2);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "hv: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

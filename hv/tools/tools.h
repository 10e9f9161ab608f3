/* SPDX-License-Identifier: GPL-2.0-only */
/* tools.h: the hv toolstack's subcommands and their shared helpers. */
#ifndef HV_TOOLS_TOOLS_H
#define HV_TOOLS_TOOLS_H

#include <stddef.h>
#include <stdint.h>

#include "xen/hvx/hvctl.h"

#define HV_MAX_DOMAINS 1024

/* Subcommands: argc/argv start at the subcommand's name. */
int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_mem_set(int argc, char **argv);
int cmd_mem_max(int argc, char **argv);
int cmd_network_attach(int argc, char **argv);
int cmd_network_detach(int argc, char **argv);
int cmd_network_list(int argc, char **argv);

/* network.c: a domain's vif nodes (libxl's), for create and attach. */
struct xs_client;
struct vif_spec;
/* Write backend and frontend nodes of one vif (MAC made if absent); the
 * device id used goes to *DEVID. 0, or -1 with an error printed. */
int network_add(struct xs_client *h, uint32_t domid, struct vif_spec *v, int *devid);
/* Close the vif as libxl does (waiting at most WAIT_MS) and remove it. */
int network_remove(struct xs_client *h, uint32_t domid, int devid, int wait_ms);
int cmd_block_attach(int argc, char **argv);
int cmd_block_detach(int argc, char **argv);
int cmd_block_list(int argc, char **argv);

/* block.c: virtual disks' store nodes (struct xs_client, struct disk_spec). */
struct xs_client;
struct disk_spec;
int block_add(struct xs_client *h, uint32_t domid, struct disk_spec *d);
/* Write every disk, then wait for each one's hotplug script. */
int block_add_all(struct xs_client *h, uint32_t domid, struct disk_spec *disks,
		  unsigned int n);
int cmd_pci_assignable_add(int argc, char **argv);
int cmd_pci_assignable_remove(int argc, char **argv);
int cmd_pci_assignable_list(int argc, char **argv);
int cmd_pci_attach(int argc, char **argv);
int cmd_pci_detach(int argc, char **argv);
int cmd_pci_list(int argc, char **argv);
int cmd_debug_regs(int argc, char **argv);
int cmd_sysrq(int argc, char **argv);

struct hv_config;
/* pci.c: give a new domain the devices of its config's pci list. */
int pci_attach_config(uint32_t domid, const struct hv_config *cfg);

/* devices.c: disks, PCI devices and vifs of CFG for a running domain;
 * 0, or -1 with an error printed (what was written stays: the caller
 * destroys the domain and calls devices_remove_domain). */
int devices_add(struct xs_client *h, uint32_t domid, struct hv_config *cfg);
/* After a domain died: every backend directory of it goes (each backend
 * lets its device go; udev runs the hotplug scripts). */
void devices_remove_domain(uint32_t domid);
int cmd_devices_add(int argc, char **argv);

/* hvctl.c: /dev/hvctl. */
int hvctl_open(void);
/* All domains into OUT (at most MAX); returns the count or -1. */
int hvctl_list(struct hvctl_domain_info *out, int max);
/* Find DOM (a name or a domid); 0, or -1 with an error printed. */
int hvctl_find(const char *dom, struct hvctl_domain_info *info);
/* 1 if a domain is called NAME (copied to INFO when not NULL), 0 if
 * none is, -1 on error. */
int hvctl_name_exists(const char *name, struct hvctl_domain_info *info);
const char *hvctl_state_letters(uint32_t state);

/* vmmsock.c: the per-domain socket of a VMM. */
int vmmsock_connect(const char *name, const char *command);
/* Read one reply line ("OK..." or "ERR ...") into BUF. */
int vmmsock_reply(int fd, char *buf, size_t len);

/* host.c: facts about the host. */
uint64_t host_meminfo_kib(const char *key);
int host_cpus(void);

void die_usage(const char *name) __attribute__((noreturn));

#endif /* HV_TOOLS_TOOLS_H */

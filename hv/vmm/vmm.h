/* SPDX-License-Identifier: GPL-2.0-only */
/* vmm.h: one VMM process = one domain: its machine, vCPUs and console. */
#ifndef HV_VMM_VMM_H
#define HV_VMM_VMM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>

#include "common/config.h"
#include "common/runtime.h"
#include "vmm/platform.h"
#include "vmm/serial.h"

#define VMM_ERR_MAX 512

enum vmm_event {
	VMM_EVENT_NONE = 0,
	VMM_EVENT_POWEROFF,
	VMM_EVENT_REBOOT,
	VMM_EVENT_CRASH,
	VMM_EVENT_TERMINATE,	/* SIGTERM/SIGINT to the VMM */
};

struct vcpu {
	struct vmm *vmm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int hypercall_warned;
	/* debug-regs: 1 asked (the thread fills dump), 2 answered. */
	int dump_state;
	char dump[768];
	/* The exit the thread is handling (0: in KVM_RUN or idle). */
	volatile uint32_t in_exit;
	volatile uint64_t exit_addr;
};

struct console {
	pthread_mutex_t lock;
	int log_fd;
	int client_fd;		/* attached `hv console`, or -1 */
	int listen_fd;
	char sock_path[128];
	uint8_t backlog[HV_CONSOLE_BACKLOG];
	size_t backlog_start, backlog_len;
};

struct xencons {
	int evtchn_fd;
	uint32_t remote_port, local_port;
	int connected;		/* the guest has written to the ring */
	int running, warned;
	int wake[2];
	int pty_fd, pty_slave_fd;
	char pty_path[64];
	pthread_t thread;
	pthread_mutex_t lock;	/* in, in_len */
	uint8_t in[4096];
	size_t in_len;
};

struct vmm {
	struct hv_config cfg;
	char **argv;		/* for restart */
	int kvm_fd, vm_fd, hvctl_fd, mem_fd;
	uint8_t *ram;
	uint64_t ram_size;
	uint32_t domid;
	unsigned int nr_vcpus;
	struct vcpu vcpus[HV_CONFIG_VCPUS_MAX];
	struct serial serial;
	struct platform platform;
	struct console console;
	struct xencons xencons;
	int event_pipe[2];	/* guest events to the control loop */
	enum vmm_event event;	/* the first one wins */
	char event_why[128];
	pthread_mutex_t event_lock;
	volatile int stopping;
	const char *sysrq_keys;	/* a shutdown/reboot request under way */
};

/* machine.c */
int machine_create(struct vmm *vmm, char *err, size_t errlen);
int machine_load(struct vmm *vmm, char *err, size_t errlen);
void machine_set_irq(void *opaque, int irq, int level);

/* vcpu.c */
int vcpu_create_all(struct vmm *vmm, char *err, size_t errlen);
int vcpu_start_all(struct vmm *vmm, char *err, size_t errlen);
void vcpu_stop_all(struct vmm *vmm);
void vcpu_debug_regs(struct vmm *vmm, int fd);

/* console.c */
int console_open(struct vmm *vmm, char *err, size_t errlen);
void console_output(void *opaque, const uint8_t *buf, size_t len);
/* As console_output, but waits for a slow client instead of dropping. */
void console_output_wait(struct vmm *vmm, const uint8_t *buf, size_t len);
void console_close(struct vmm *vmm);
/* The control loop: serves the socket until a guest event arrives. */
enum vmm_event console_serve(struct vmm *vmm, int until_event);

/* xencons.c: the Xen console ring (hvc0) */
int xencons_init(struct vmm *vmm, char *err, size_t errlen);
/* store.c: write a restarted domain's store nodes and introduce it. */
int vmm_store_introduce(struct vmm *vmm);
/* The domain's disks, PCI devices and vifs again (hv devices-add). */
void vmm_devices_add(struct vmm *vmm, const char *cfg_path);
/* The domain ended: its backend directories go. */
void vmm_store_forget(struct vmm *vmm);
size_t xencons_input(struct vmm *vmm, const uint8_t *buf, size_t len);
void xencons_stop(struct vmm *vmm);

/* passthrough.c: BARs of passed-through devices as memory slots */
int passthrough_map(struct vmm *vmm, const char *bdf, char *err, size_t errlen);
void passthrough_unmap(struct vmm *vmm, const char *bdf);
void passthrough_command(struct vmm *vmm, int fd, const char *cmd);
/* A guest IN/OUT on a passed-through device's ports: done, true. */
bool passthrough_io(struct vmm *vmm, uint16_t port, unsigned int size, bool out,
		    uint8_t *data);
/* A guest access to a trapped MSI-X page of a passed-through device. */
bool passthrough_mmio(struct vmm *vmm, uint64_t addr, unsigned int len, bool write,
		      uint8_t *data);

/* main.c */
void vmm_guest_event(struct vmm *vmm, enum vmm_event ev, const char *why);
void vmm_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HV_VMM_VMM_H */

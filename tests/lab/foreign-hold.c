// SPDX-License-Identifier: GPL-2.0-only
/* foreign-hold DOMID GFN GOFILE: map one frame of a domU as xenstored maps
 * its store ring (HVCTL_FOREIGN_MAP, mmap), say "mapped", then hold the
 * mapping until GOFILE exists (at most 120 s): the domain may be destroyed
 * meanwhile and its RAM freed. Then touch the page once more (reading and
 * writing it must not fault: the mapping holds its page), unmap, say "ok".
 * Whether the kernel freed the page under the mapping is for dmesg to
 * tell (scenario 52). Status 1 on any failure. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen/hvx/hvctl.h"

int main(int argc, char **argv)
{
	struct hvctl_foreign_map fm = { .nr_frames = 1 };
	volatile unsigned char *page;
	unsigned char first;
	int fd, waited;

	if (argc != 4) {
		fprintf(stderr, "usage: foreign-hold DOMID GFN GOFILE\n");
		return 2;
	}
	fm.domid = (unsigned int)strtoul(argv[1], NULL, 10);
	fm.gfn = strtoull(argv[2], NULL, 0);
	fd = open("/dev/hvctl", O_RDWR | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, HVCTL_FOREIGN_MAP, &fm)) {
		perror("foreign-hold: HVCTL_FOREIGN_MAP");
		return 1;
	}
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED) {
		perror("foreign-hold: mmap");
		return 1;
	}
	first = page[0];
	printf("mapped domain %u frame %s (first byte %u)\n", fm.domid, argv[2], first);
	fflush(stdout);
	for (waited = 0; access(argv[3], F_OK); waited++) {
		if (waited == 1200) {
			fprintf(stderr, "foreign-hold: %s never came\n", argv[3]);
			return 1;
		}
		usleep(100000);
	}
	page[1] = (unsigned char)(page[0] + 1);
	if (munmap((void *)page, 4096)) {
		perror("foreign-hold: munmap");
		return 1;
	}
	printf("ok\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkbench.c: a small static block benchmark for the lab (fio does not fit
 * the domU image): O_DIRECT I/O on a block device or file, one pattern
 * per run, printed as one "@@BLK" line.
 *   blkbench randread  DEV SECONDS DEPTH   4 KiB random reads; DEPTH
 *                                          threads each keep one in flight
 *   blkbench seqread   DEV SECONDS         1 MiB sequential reads
 *   blkbench seqwrite  DEV SECONDS         1 MiB sequential writes
 * Output: @@BLK MODE depth=D ios=N iops=X mbps=Y
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

struct job {
	int fd;
	uint64_t size;		/* bytes, a multiple of bs */
	size_t bs;
	int write, random;
	double end;
	unsigned int seed;
	uint64_t ios;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
	struct job *j = arg;
	uint64_t blocks = j->size / j->bs, next = 0;
	void *buf;

	if (posix_memalign(&buf, 4096, j->bs)) {
		j->err = ENOMEM;
		return NULL;
	}
	memset(buf, 0xa5, j->bs);
	while (now() < j->end) {
		uint64_t blk;
		ssize_t n;
		int k;

		for (k = 0; k < 16; k++) {
			if (j->random)
				blk = ((uint64_t)rand_r(&j->seed) << 31 | rand_r(&j->seed)) % blocks;
			else
				blk = next++ % blocks;
			n = j->write ? pwrite(j->fd, buf, j->bs, (off_t)(blk * j->bs)) :
				       pread(j->fd, buf, j->bs, (off_t)(blk * j->bs));
			if (n != (ssize_t)j->bs) {
				j->err = n < 0 ? errno : EIO;
				free(buf);
				return NULL;
			}
			j->ios++;
		}
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	struct job jobs[64];
	pthread_t threads[64];
	const char *mode;
	int fd, depth = 1, i, write = 0, random = 0;
	double secs, t0, t1;
	uint64_t size, ios = 0;
	struct stat st;
	size_t bs;

	if (argc < 4) {
		fprintf(stderr, "usage: blkbench randread|seqread|seqwrite DEV SECONDS [DEPTH]\n");
		return 2;
	}
	mode = argv[1];
	secs = atof(argv[3]);
	if (argc > 4)
		depth = atoi(argv[4]);
	if (depth < 1 || depth > 64 || secs <= 0) {
		fprintf(stderr, "blkbench: depth 1..64, seconds > 0\n");
		return 2;
	}
	if (!strcmp(mode, "randread")) {
		bs = 4096;
		random = 1;
	} else if (!strcmp(mode, "seqread")) {
		bs = 1 << 20;
	} else if (!strcmp(mode, "seqwrite")) {
		bs = 1 << 20;
		write = 1;
	} else {
		fprintf(stderr, "blkbench: unknown mode %s\n", mode);
		return 2;
	}
	fd = open(argv[2], (write ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "blkbench: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size)) {
			perror("blkbench: BLKGETSIZE64");
			return 1;
		}
	} else {
		size = (uint64_t)st.st_size;
	}
	size -= size % bs;
	if (!size) {
		fprintf(stderr, "blkbench: %s is smaller than one block\n", argv[2]);
		return 1;
	}
	t0 = now();
	for (i = 0; i < depth; i++) {
		jobs[i] = (struct job){ .fd = fd, .size = size, .bs = bs, .write = write,
					.random = random, .end = t0 + secs, .seed = 1234u + i };
		if (pthread_create(&threads[i], NULL, run, &jobs[i])) {
			perror("blkbench: pthread_create");
			return 1;
		}
	}
	for (i = 0; i < depth; i++) {
		pthread_join(threads[i], NULL);
		if (jobs[i].err) {
			fprintf(stderr, "blkbench: I/O error: %s\n", strerror(jobs[i].err));
			return 1;
		}
		ios += jobs[i].ios;
	}
	t1 = now();
	if (write && fsync(fd)) {
		perror("blkbench: fsync");
		return 1;
	}
	printf("@@BLK %s depth=%d ios=%llu iops=%.0f mbps=%.1f\n", mode, depth,
	       (unsigned long long)ios, ios / (t1 - t0), ios * (double)bs / (t1 - t0) / 1e6);
	close(fd);
	return 0;
}

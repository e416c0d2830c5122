// SPDX-License-Identifier: GPL-2.0
/*
 * cfgread - config-space reads per second through sysfs, for the guard
 * benchmark (scripts/bench-guard). One process, pread() of one dword at a
 * time over the whole config file, repeated for about @ms milliseconds.
 *
 *   cfgread FILE MS    prints "<reads per second>"
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long reads = 0;
	double t0, t, limit;
	unsigned int v;
	off_t off;
	int fd;

	if (argc != 3 || atoi(argv[2]) <= 0) {
		fprintf(stderr, "usage: cfgread FILE MS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "cfgread: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	limit = atoi(argv[2]) / 1000.0;
	t0 = now();
	do {
		for (off = 0; off < 4096; off += 4, reads++)
			if (pread(fd, &v, 4, off) != 4)
				break;
		t = now() - t0;
	} while (t < limit);
	printf("%.0f\n", reads / t);
	close(fd);
	return 0;
}

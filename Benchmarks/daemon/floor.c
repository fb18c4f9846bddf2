/* The raw I/O floor: for every regular file in IN, read it whole and write a result of the same size to OUT with
 * the daemon's durability policy: temporary name, write, fsync, rename, fsync of the folder. One thread, no
 * processing. Usage: floor IN OUT   (prints the number of files done). Built by Benchmarks/daemon/throughput.py. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor IN OUT\n"); return 2; }
    DIR *in = opendir(argv[1]);
    int outdir = open(argv[2], O_RDONLY | O_DIRECTORY);
    if (!in || outdir < 0) { perror("open"); return 1; }
    size_t cap = 1 << 20; char *buf = malloc(cap); long done = 0;
    struct dirent *e;
    while ((e = readdir(in))) {
        if (e->d_name[0] == '.') continue;
        int fd = openat(dirfd(in), e->d_name, O_RDONLY | O_NOFOLLOW);
        if (fd < 0) { perror(e->d_name); return 1; }
        struct stat st; fstat(fd, &st);
        if ((size_t)st.st_size > cap) { cap = st.st_size; buf = realloc(buf, cap); }
        size_t got = 0; ssize_t r;
        while (got < (size_t)st.st_size && (r = read(fd, buf + got, st.st_size - got)) > 0) got += r;
        close(fd);
        char tmp[600], dst[600];
        snprintf(tmp, sizeof tmp, ".tmp-%s", e->d_name);
        snprintf(dst, sizeof dst, "%s.json", e->d_name);
        int o = openat(outdir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o < 0) { perror(tmp); return 1; }
        size_t put = 0;
        while (put < got && (r = write(o, buf + put, got - put)) > 0) put += r;
        if (fsync(o) != 0) { perror("fsync"); return 1; }
        close(o);
        if (renameat(outdir, tmp, outdir, dst) != 0) { perror("rename"); return 1; }
        if (fsync(outdir) != 0) { perror("fsync dir"); return 1; }
        done++;
    }
    printf("%ld\n", done);
    return 0;
}

/*
 * Native baseline for MatcherBench: the same patterns (one expression per line) and corpus (raw bytes), scanned in
 * block mode with buffers of the given size, cycling through the corpus for about two seconds.
 * Prints: size, scans/s, GB/s, matches. Build and run: bench/native/run-baseline.sh
 */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long matches;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx) {
    (void) id; (void) from; (void) to; (void) flags; (void) ctx;
    matches++;
    return 0;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s PATTERNS CORPUS SIZE...\n", argv[0]);
        return 2;
    }
    FILE *pf = fopen(argv[1], "r");
    if (!pf) { perror(argv[1]); return 2; }
    size_t cap = 1024, n = 0;
    char **exprs = malloc(cap * sizeof(char *));
    char line[65536];
    while (fgets(line, sizeof line, pf)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (!len) continue;
        if (n == cap) exprs = realloc(exprs, (cap *= 2) * sizeof(char *));
        exprs[n++] = strdup(line);
    }
    fclose(pf);
    unsigned int *ids = malloc(n * sizeof(unsigned int));
    unsigned int *flags = calloc(n, sizeof(unsigned int));
    for (size_t i = 0; i < n; i++) ids[i] = (unsigned int) i;
    hs_database_t *db;
    hs_compile_error_t *err;
    if (hs_compile_multi((const char *const *) exprs, flags, ids, (unsigned int) n, HS_MODE_BLOCK, NULL, &db, &err)
            != HS_SUCCESS) {
        fprintf(stderr, "compile: %s (expression %d)\n", err->message, err->expression);
        return 1;
    }
    FILE *cf = fopen(argv[2], "rb");
    if (!cf) { perror(argv[2]); return 2; }
    fseek(cf, 0, SEEK_END);
    long corpus = ftell(cf);
    fseek(cf, 0, SEEK_SET);
    char *data = malloc(corpus);
    if (fread(data, 1, corpus, cf) != (size_t) corpus) { perror("read"); return 2; }
    fclose(cf);
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(db, &scratch);
    printf("hyperscan %s, %zu patterns, corpus %ld bytes\n", hs_version(), n, corpus);
    for (int a = 3; a < argc; a++) {
        long size = atol(argv[a]);
        for (int rep = 0; rep < 3; rep++) {
            long pos = 0, scans = 0;
            matches = 0;
            double start = now(), elapsed;
            do {
                for (int k = 0; k < 1000; k++) {
                    hs_scan(db, data + pos, (unsigned int) size, 0, scratch, on_match, NULL);
                    pos = pos + 2 * size > corpus ? 0 : pos + size;
                    scans++;
                }
                elapsed = now() - start;
            } while (elapsed < 2.0);
            printf("size %ld rep %d: %.0f scans/s  %.3f GB/s  matches %llu\n", size, rep, scans / elapsed,
                   scans * (double) size / elapsed / 1e9, matches);
        }
    }
    return 0;
}

/* Finding the footer: file tails, paths, and caller-supplied readers. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static uint32_t load32le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Check the 8-byte trailer; on success *footer_len is the FileMetaData length. */
static int parse_trailer(const uint8_t *t8, uint64_t file_size, uint32_t *footer_len, pqf_error *err) {
    if (memcmp(t8 + 4, "PARE", 4) == 0) {
        pqf_error_set(err, PQF_ERR_ENCRYPTED, "encrypted footer (PARE): needs a decryption key", 0);
        return PQF_ERR_ENCRYPTED;
    }
    if (memcmp(t8 + 4, "PAR1", 4) != 0) {
        pqf_error_set(err, PQF_ERR_NOT_PARQUET, "no PAR1 magic at the end of the file", 0);
        return PQF_ERR_NOT_PARQUET;
    }
    uint32_t n = load32le(t8);
    /* The file also starts with PAR1: footer + 8 + 4 must fit. */
    if (file_size && (uint64_t)n + 12 > file_size) {
        pqf_error_set(err, PQF_ERR_NOT_PARQUET, "footer length larger than the file", 0);
        return PQF_ERR_NOT_PARQUET;
    }
    *footer_len = n;
    return 0;
}

pqf_footer *pqf_dctx_decode_tail(pqf_dctx *dctx, const void *tail, size_t tail_len, uint64_t file_size,
                                 const pqf_options *opt, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    if (!tail && tail_len) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "tail is NULL", 0);
        return NULL;
    }
    if (file_size && tail_len > file_size) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "tail longer than the file", 0);
        return NULL;
    }
    const uint8_t *t = tail;
    if (tail_len < 8) {
        if (file_size && file_size < 12) {
            pqf_error_set(err, PQF_ERR_NOT_PARQUET, "file too small to be Parquet", 0);
            return NULL;
        }
        pqf_error_set(err, PQF_ERR_TRUNCATED, "tail shorter than the 8-byte trailer", 0);
        err->needed = 8;
        return NULL;
    }
    uint32_t n;
    if (parse_trailer(t + tail_len - 8, file_size, &n, err)) return NULL;
    if ((uint64_t)n + 8 > tail_len) {
        pqf_error_set(err, PQF_ERR_TRUNCATED, "tail does not hold the whole footer", 0);
        err->needed = (uint64_t)n + 8;
        return NULL;
    }
    return pqf_decode_impl(dctx, t + tail_len - 8 - n, n, file_size, opt, err);
}

pqf_footer *pqf_footer_decode_tail(const void *tail, size_t tail_len, uint64_t file_size,
                                   const pqf_options *opt, pqf_error *err) {
    return pqf_dctx_decode_tail(NULL, tail, tail_len, file_size, opt, err);
}

/* Read the footer through fn: one speculative tail, a second read only when
 * the footer is longer than it. */
pqf_footer *pqf_dctx_decode_reader(pqf_dctx *dctx, pqf_read_fn fn, void *ctx, uint64_t file_size,
                                   const pqf_options *opt, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    if (!fn) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "read function is NULL", 0);
        return NULL;
    }
    if (file_size < 12) {
        pqf_error_set(err, PQF_ERR_NOT_PARQUET, "file too small to be Parquet", 0);
        return NULL;
    }
    const pqf_allocator *alc = opt ? opt->allocator : NULL;
    pqf_mem mem;
    pqf_mem_init(&mem, alc, UINT64_MAX);
    mem.dctx = dctx; /* the read buffers are work memory too */
    uint64_t want = (opt && opt->tail_size) ? opt->tail_size : PQF_DEFAULT_TAIL_SIZE;
    if (want < 8) want = 8;
    if (want > file_size) want = file_size;
    uint8_t *buf = pqf_work_alloc(&mem, (size_t)want);
    if (!buf) {
        pqf_error_set(err, PQF_ERR_NOMEM, "allocation failed", 0);
        return NULL;
    }
    size_t have = (size_t)want;
    pqf_footer *f = NULL;
    if (fn(ctx, file_size - want, buf, have) != 0) {
        pqf_error_set(err, PQF_ERR_IO, "read failed", 0);
        goto out;
    }
    uint32_t n;
    if (parse_trailer(buf + have - 8, file_size, &n, err)) goto out;
    if ((uint64_t)n + 8 > have) {
        size_t need = (size_t)n + 8;
        uint8_t *big = pqf_work_alloc(&mem, need);
        if (!big) {
            pqf_error_set(err, PQF_ERR_NOMEM, "allocation failed", 0);
            goto out;
        }
        /* Only the part not read yet. */
        size_t more = need - have;
        if (fn(ctx, file_size - need, big, more) != 0) {
            pqf_work_free(&mem, big, need);
            pqf_error_set(err, PQF_ERR_IO, "read failed", 0);
            goto out;
        }
        memcpy(big + more, buf, have);
        pqf_work_free(&mem, buf, have);
        buf = big;
        have = need;
    }
    f = pqf_decode_impl(dctx, buf + have - 8 - n, n, file_size, opt, err);
out:
    pqf_work_free(&mem, buf, have);
    return f;
}

pqf_footer *pqf_footer_decode_reader(pqf_read_fn fn, void *ctx, uint64_t file_size,
                                     const pqf_options *opt, pqf_error *err) {
    return pqf_dctx_decode_reader(NULL, fn, ctx, file_size, opt, err);
}

int pqf_fd_read(void *ctx, uint64_t offset, void *buf, size_t len) {
    int fd = *(const int *)ctx;
    uint8_t *p = buf;
    while (len) {
        ssize_t r = pread(fd, p, len, (off_t)offset);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) errno = EIO; /* the file is shorter than its size said */
        if (r <= 0) return -1;
        p += r;
        len -= (size_t)r;
        offset += (uint64_t)r;
    }
    return 0;
}

pqf_footer *pqf_dctx_decode_file(pqf_dctx *dctx, const char *path, const pqf_options *opt, pqf_error *err) {
    pqf_error local;
    if (!err) err = &local;
    if (!path) {
        pqf_error_set(err, PQF_ERR_INVALID_ARG, "path is NULL", 0);
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pqf_error_set(err, PQF_ERR_IO, "cannot open file", 0);
        return NULL;
    }
    struct stat st;
    pqf_footer *f = NULL;
    if (fstat(fd, &st) != 0) {
        pqf_error_set(err, PQF_ERR_IO, "cannot stat file", 0);
    } else if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        pqf_error_set(err, PQF_ERR_IO, "not a regular file", 0);
    } else {
        f = pqf_dctx_decode_reader(dctx, pqf_fd_read, &fd, (uint64_t)st.st_size, opt, err);
    }
    int saved = errno; /* the reason of a PQF_ERR_IO, for the caller */
    close(fd);
    errno = saved;
    return f;
}

pqf_footer *pqf_footer_decode_file(const char *path, const pqf_options *opt, pqf_error *err) {
    return pqf_dctx_decode_file(NULL, path, opt, err);
}

/*
 * relay.c - the cheapest CONNECT relay we could write, as a floor for the benchmark.
 *
 * Single thread, level-triggered epoll. Per client: read the CONNECT head up to CRLFCRLF,
 * allow only $BENCH_ORIGIN_HOST (or a subdomain) on port $BENCH_ORIGIN_PORT, connect to
 * 127.0.0.1:$BENCH_ORIGIN_PORT, answer 200 and relay bytes both ways. No policy, no logging,
 * no DNS. Two relay modes: read/write through a 64 KiB buffer per direction (default), or
 * splice(2) through a pipe per direction (argv[2] == "splice" or FLOOR_SPLICE=1: zero copy).
 *
 * Backpressure: a direction holds at most one buffer (or pipe) of pending bytes; its source is
 * not read while anything is pending, and its sink is watched for EPOLLOUT until drained.
 * An fd with nothing to wait for is removed from epoll, so a hung-up socket cannot spin.
 * Half-close: EOF on a source becomes shutdown(SHUT_WR) on the sink once pending is drained;
 * the pair is closed when both directions are shut, or at the first error.
 *
 *   gcc -O2 -Wall -o /tmp/floor-relay bench/floor/relay.c
 *   BENCH_ORIGIN_HOST=s3.us-east-1.amazonaws.com BENCH_ORIGIN_PORT=443 /tmp/floor-relay 3130 [splice]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ (64 * 1024)   /* per-direction buffer, and pipe size in splice mode */
#define HEADSZ 4096         /* longest CONNECT head we accept */
enum { CLI = 0, ORI = 1 };  /* side index; direction i reads side i and writes side 1-i */
enum { HEAD, CONNECTING, RELAY, DEAD };

struct conn;
struct side { struct conn *c; int i; };          /* epoll cookie for c->fd[i] */
struct dir {                                     /* one direction: fd[i] -> fd[1-i] */
    char *buf; size_t off, len;                  /* read/write mode: pending = len - off */
    int pipe[2]; size_t inpipe;                  /* splice mode: pending = inpipe */
    int eof, shut;                               /* source hit EOF; sink got SHUT_WR */
};
struct conn {
    int state, fd[2];
    uint32_t mask[2];                            /* epoll interest now registered; 0 = not in epoll */
    struct side side[2];
    struct dir d[2];
    char head[HEADSZ]; size_t headlen;
    struct conn *next_dead;
};

static int ep, use_splice, origin_port;
static const char *origin_host;
static struct conn *dead;                        /* freed after each epoll_wait batch */

static size_t pending(struct dir *d) { return use_splice ? d->inpipe : d->len - d->off; }

static void set_mask(struct conn *c, int i, uint32_t m) {
    struct epoll_event ev = { .events = m, .data.ptr = &c->side[i] };
    if (m == c->mask[i]) return;
    epoll_ctl(ep, !c->mask[i] ? EPOLL_CTL_ADD : !m ? EPOLL_CTL_DEL : EPOLL_CTL_MOD, c->fd[i], &ev);
    c->mask[i] = m;
}

static void kill_conn(struct conn *c) {          /* close() also drops the fds from epoll */
    for (int i = 0; i < 2; i++) {
        if (c->fd[i] >= 0) close(c->fd[i]);
        if (use_splice && c->d[i].pipe[0] >= 0) { close(c->d[i].pipe[0]); close(c->d[i].pipe[1]); }
    }
    c->state = DEAD;
    c->next_dead = dead;
    dead = c;
}

/* Write what direction i holds to fd[1-i]. Returns -1 on error, else 0 (done or EAGAIN). */
static int flush(struct conn *c, int i) {
    struct dir *d = &c->d[i];
    while (pending(d) > 0) {
        ssize_t n = use_splice
            ? splice(d->pipe[0], NULL, c->fd[1 - i], NULL, d->inpipe, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
            : write(c->fd[1 - i], d->buf + d->off, d->len - d->off);
        if (n < 0) return errno == EAGAIN ? 0 : -1;
        if (use_splice) d->inpipe -= n; else d->off += n;
    }
    if (d->eof && !d->shut) {                    /* pass the half-close on once drained */
        shutdown(c->fd[1 - i], SHUT_WR);
        d->shut = 1;
    }
    return 0;
}

/* Move data along direction i: drain, then (if empty) read once and try to drain again. */
static int pump(struct conn *c, int i) {
    struct dir *d = &c->d[i];
    if (flush(c, i) < 0) return -1;
    if (pending(d) > 0 || d->eof) return 0;
    ssize_t n = use_splice
        ? splice(c->fd[i], NULL, d->pipe[1], NULL, BUFSZ, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
        : read(c->fd[i], d->buf, BUFSZ);
    if (n < 0) return errno == EAGAIN ? 0 : -1;
    if (n == 0) d->eof = 1;
    if (use_splice) d->inpipe = n; else { d->off = 0; d->len = n; }
    return flush(c, i);
}

/* Re-derive both fds' epoll interest from the direction states; close when both are shut. */
static void update(struct conn *c) {
    if (c->d[0].shut && c->d[1].shut) { kill_conn(c); return; }
    for (int i = 0; i < 2; i++) {
        uint32_t m = 0;
        if (!c->d[i].eof && pending(&c->d[i]) == 0) m |= EPOLLIN;   /* room to read side i */
        if (pending(&c->d[1 - i]) > 0) m |= EPOLLOUT;                /* bytes waiting for side i */
        set_mask(c, i, m);
    }
}

static void reply_and_close(struct conn *c, const char *msg) {
    (void)!write(c->fd[CLI], msg, strlen(msg)); /* fresh socket: a short reply always fits */
    kill_conn(c);
}

static void established(struct conn *c) {
    static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
    int one = 1;
    setsockopt(c->fd[ORI], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (write(c->fd[CLI], ok, sizeof ok - 1) != sizeof ok - 1) { kill_conn(c); return; }
    c->state = RELAY;
    if (flush(c, CLI) < 0) { kill_conn(c); return; }  /* bytes sent after the head, if any */
    update(c);
}

/* Host check: exactly origin_host or a subdomain of it (case-insensitive), and the origin port. */
static int allowed(const char *host, size_t hlen, const char *port) {
    size_t olen = strlen(origin_host);
    char *end;
    if (strtol(port, &end, 10) != origin_port || end == port || *end) return 0;
    if (hlen == olen) return strncasecmp(host, origin_host, olen) == 0;
    return hlen > olen + 1 && host[hlen - olen - 1] == '.'
        && strncasecmp(host + hlen - olen, origin_host, olen) == 0;
}

/* Parse "CONNECT host:port HTTP/1.x\r\n..." once the head is complete; then connect or refuse. */
static void on_head(struct conn *c, char *end) {
    char *line = c->head, *eol = strstr(line, "\r\n"), *auth, *sp, *colon;
    *eol = '\0';
    if (strncmp(line, "CONNECT ", 8) != 0 || !(sp = strchr(auth = line + 8, ' '))
        || (strcmp(sp + 1, "HTTP/1.1") != 0 && strcmp(sp + 1, "HTTP/1.0") != 0)
        || !(colon = memrchr(auth, ':', sp - auth))) {
        reply_and_close(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    *sp = '\0';
    if (!allowed(auth, colon - auth, colon + 1)) {
        reply_and_close(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    size_t extra = c->head + c->headlen - end;     /* client bytes sent after the head */
    if (extra > 0) {
        if (!use_splice) { memcpy(c->d[CLI].buf, end, extra); c->d[CLI].len = extra; }
        else if (write(c->d[CLI].pipe[1], end, extra) == (ssize_t)extra) c->d[CLI].inpipe = extra;
        else { kill_conn(c); return; }           /* cannot happen: the pipe is empty and larger */
    }
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(origin_port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    c->fd[ORI] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd[ORI] < 0) { reply_and_close(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"); return; }
    set_mask(c, CLI, 0);                          /* not read from the client until connected */
    if (connect(c->fd[ORI], (struct sockaddr *)&sa, sizeof sa) == 0) { established(c); return; }
    if (errno != EINPROGRESS) { reply_and_close(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"); return; }
    c->state = CONNECTING;
    set_mask(c, ORI, EPOLLOUT);
}

static void on_event(struct conn *c, int i, uint32_t ev) {
    if (c->state == HEAD) {
        ssize_t n = read(c->fd[CLI], c->head + c->headlen, HEADSZ - 1 - c->headlen);
        if (n <= 0) { if (n == 0 || errno != EAGAIN) kill_conn(c); return; }
        c->headlen += n;
        c->head[c->headlen] = '\0';
        char *end = strstr(c->head, "\r\n\r\n");
        if (end) on_head(c, end + 4);
        else if (c->headlen == HEADSZ - 1)
            reply_and_close(c, "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n\r\n");
    } else if (c->state == CONNECTING) {
        int err = 0; socklen_t len = sizeof err;
        getsockopt(c->fd[ORI], SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) reply_and_close(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        else established(c);
    } else if (c->state == RELAY) {
        if (ev & EPOLLERR) { kill_conn(c); return; }
        /* readable side i feeds direction i; writable side i drains direction 1-i */
        if ((ev & (EPOLLIN | EPOLLHUP)) && pump(c, i) < 0) { kill_conn(c); return; }
        if ((ev & (EPOLLOUT | EPOLLHUP)) && pump(c, 1 - i) < 0) { kill_conn(c); return; }
        update(c);
    }
}

static struct conn *new_conn(int fd) {
    struct conn *c = calloc(1, sizeof *c);
    if (!c) { close(fd); return NULL; }
    c->fd[CLI] = fd; c->fd[ORI] = -1;
    for (int i = 0; i < 2; i++) {
        c->side[i] = (struct side){ c, i };
        c->d[i].pipe[0] = c->d[i].pipe[1] = -1;  /* so kill_conn() can run at any point below */
    }
    for (int i = 0; i < 2; i++) {
        if (use_splice) {
            if (pipe2(c->d[i].pipe, O_NONBLOCK) < 0) { kill_conn(c); return NULL; }
            fcntl(c->d[i].pipe[1], F_SETPIPE_SZ, BUFSZ);
        } else if (!(c->d[i].buf = malloc(BUFSZ))) { kill_conn(c); return NULL; }
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    set_mask(c, CLI, EPOLLIN);
    return c;
}

int main(int argc, char **argv) {
    const char *port_env = getenv("BENCH_ORIGIN_PORT"), *sp = getenv("FLOOR_SPLICE");
    origin_host = getenv("BENCH_ORIGIN_HOST");
    if (argc < 2 || !origin_host || !port_env) {
        fprintf(stderr, "usage: BENCH_ORIGIN_HOST=h BENCH_ORIGIN_PORT=p %s LISTEN_PORT [splice]\n", argv[0]);
        return 2;
    }
    origin_port = atoi(port_env);
    use_splice = (argc > 2 && strcmp(argv[2], "splice") == 0) || (sp && strcmp(sp, "1") == 0);
    signal(SIGPIPE, SIG_IGN);                     /* a write to a reset peer returns EPIPE instead */

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 4096) < 0) { perror("listen"); return 1; }
    ep = epoll_create1(0);
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };  /* NULL cookie = listener */
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    fprintf(stderr, "floor-relay: 127.0.0.1:%s -> 127.0.0.1:%d for %s, mode %s\n",
            argv[1], origin_port, origin_host, use_splice ? "splice" : "read/write");

    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
        for (int k = 0; k < n; k++) {
            struct side *s = evs[k].data.ptr;
            if (!s) {                              /* accept everything queued */
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0)
                    new_conn(fd);                  /* on failure it has closed fd already */
                continue;
            }
            if (s->c->state != DEAD) on_event(s->c, s->i, evs[k].events);
        }
        while (dead) {                            /* no event of this batch can point at them now */
            struct conn *c = dead;
            dead = c->next_dead;
            for (int i = 0; i < 2; i++) free(c->d[i].buf);
            free(c);
        }
    }
}

/*
 * tls-relay.c - the cheapest TLS-intercepting CONNECT relay we could write, as a floor for the
 * benchmark. It is the TLS sibling of relay.c: what must a proxy pay per request when it
 * terminates TLS on both sides but does nothing else (no HTTP parsing, no policy, no logging)?
 *
 * Single thread, level-triggered epoll, non-blocking sockets, OpenSSL 3. Per client:
 *   1. read the CONNECT head up to CRLFCRLF (peeked, so a ClientHello sent early stays queued);
 *      allow only $BENCH_ORIGIN_HOST or a subdomain of it on port $BENCH_ORIGIN_PORT, else 403;
 *   2. answer 200, then run two handshakes side by side: SSL_accept towards the client with a
 *      leaf minted once at start-up (EC P-256, SAN host and *.host, signed by the CA given on the
 *      command line), and a non-blocking connect to 127.0.0.1:$BENCH_ORIGIN_PORT followed by
 *      SSL_connect with SNI = host, verified against $BENCH_ORIGIN_CA with the hostname checked;
 *   3. relay plaintext both ways: SSL_read on one side, SSL_write on the other.
 *
 * Each direction holds at most one buffer of plaintext; its source is not read while anything is
 * pending (backpressure). Every SSL call that cannot finish says what it waits for
 * (SSL_ERROR_WANT_READ -> EPOLLIN, WANT_WRITE -> EPOLLOUT) and on which socket; a socket's epoll
 * interest is the union of what the stalled operations on it wait for, and an event on a socket
 * re-runs exactly those operations. EOF (close_notify or a bare TCP FIN) on a source becomes
 * close_notify + shutdown(SHUT_WR) on the sink once the pending bytes are written; the pair is
 * closed when both directions are shut, or at the first error.
 *
 *   gcc -O2 -Wall -o /tmp/tls-relay bench/floor/tls-relay.c -lssl -lcrypto
 *   BENCH_ORIGIN_HOST=s3.us-east-1.amazonaws.com BENCH_ORIGIN_PORT=443 \
 *   BENCH_ORIGIN_CA=/tmp/bench-run/pki/origin-ca.pem /tmp/tls-relay 3130 ca.pem ca.key
 *
 * A bench tool, not hardened: no IPv6, DNS, timeouts, upstream session resumption, or care for
 * fd exhaustion. One leaf covers the origin host and its direct subdomains only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ (16 * 1024)   /* one TLS record of plaintext: SSL_read never returns more */
#define HEADSZ 4096         /* longest CONNECT head we accept */
enum { CLI = 0, ORI = 1 };  /* side index; direction i reads side i and writes side 1-i */
enum { HEAD, HANDSHAKE, RELAY, DEAD };

struct conn;
struct side {                                     /* one socket and its TLS session */
    struct conn *c; int i;                       /* epoll cookie: &c->side[i] */
    int fd; SSL *ssl;
    uint32_t mask;                               /* epoll interest registered; 0 = not in epoll */
    int hs_done;                                 /* handshake finished on this side */
    uint32_t hs_want;                            /* what the unfinished handshake waits for */
};
struct dir {                                     /* one direction: side i -> side 1-i */
    char buf[BUFSZ]; size_t off, len;            /* pending plaintext = len - off */
    int eof, shut;                               /* source hit EOF; sink got close_notify+FIN */
    int blk_side; uint32_t blk_want;             /* where and on what this direction is stalled */
};
struct conn {
    int state, connecting;                       /* connecting: TCP connect to origin in flight */
    struct side s[2];
    struct dir d[2];
    char host[256];
    char head[HEADSZ]; size_t headlen;
    struct conn *next_dead;
};

static int ep, origin_port;
static const char *origin_host;
static SSL_CTX *srv_ctx, *cli_ctx;               /* towards the client / towards the origin */
static struct conn *dead;                        /* freed after each epoll_wait batch */

static void die(const char *what) { fprintf(stderr, "tls-relay: %s\n", what); ERR_print_errors_fp(stderr); exit(1); }

/* ---------- start-up: the leaf certificate and the two TLS contexts ---------- */

static void add_ext(X509 *leaf, X509 *ca, int nid, const char *value) {
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, ca, leaf, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    if (!ext || !X509_add_ext(leaf, ext, -1)) die("cannot add a certificate extension");
    X509_EXTENSION_free(ext);
}

/* One EC P-256 key and one leaf for "host" and "*.host", signed by the CA, valid 1 h back to 30 d on. */
static void mint_leaf(X509 *ca, EVP_PKEY *ca_key, X509 **leaf_out, EVP_PKEY **key_out) {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *leaf = X509_new();
    unsigned char serial[16];
    char san[600];
    if (!key || !leaf || RAND_bytes(serial, sizeof serial) != 1) die("cannot create the leaf key");
    serial[0] &= 0x7f;                           /* a positive serial (RFC 5280 4.1.2.2) */
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(leaf));
    BN_free(bn);
    X509_set_version(leaf, 2);                   /* v3: extensions follow */
    X509_set_issuer_name(leaf, X509_get_subject_name(ca));
    X509_NAME_add_entry_by_txt(X509_get_subject_name(leaf), "CN", MBSTRING_ASC,
                               (const unsigned char *)origin_host, -1, -1, 0);
    X509_gmtime_adj(X509_getm_notBefore(leaf), -3600);
    X509_gmtime_adj(X509_getm_notAfter(leaf), 30L * 24 * 3600);
    X509_set_pubkey(leaf, key);
    snprintf(san, sizeof san, "DNS:%s,DNS:*.%s", origin_host, origin_host);
    add_ext(leaf, ca, NID_subject_alt_name, san);
    add_ext(leaf, ca, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(leaf, ca, NID_key_usage, "critical,digitalSignature");
    add_ext(leaf, ca, NID_ext_key_usage, "serverAuth");
    add_ext(leaf, ca, NID_subject_key_identifier, "hash");
    add_ext(leaf, ca, NID_authority_key_identifier, "keyid");
    if (!X509_sign(leaf, ca_key, EVP_sha256())) die("cannot sign the leaf");
    *leaf_out = leaf; *key_out = key;
}

static void make_contexts(const char *ca_pem, const char *ca_keyfile, const char *origin_ca) {
    FILE *f;
    X509 *ca = NULL, *leaf; EVP_PKEY *ca_key = NULL, *key;
    if (!(f = fopen(ca_pem, "r")) || !(ca = PEM_read_X509(f, NULL, NULL, NULL))) die("cannot read the CA certificate");
    fclose(f);
    if (!(f = fopen(ca_keyfile, "r")) || !(ca_key = PEM_read_PrivateKey(f, NULL, NULL, NULL))) die("cannot read the CA key");
    fclose(f);
    mint_leaf(ca, ca_key, &leaf, &key);

    /* Partial writes let SSL_write return after each record; the buffer pointer may move. Read-ahead
     * lets one read(2) fetch a whole record (header and body) instead of two. An unclean EOF (FIN
     * without close_notify) is read as a plain EOF, as an HTTP relay would treat it. */
    long mode = SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
    srv_ctx = SSL_CTX_new(TLS_server_method());
    cli_ctx = SSL_CTX_new(TLS_client_method());
    if (!srv_ctx || !cli_ctx) die("cannot create the TLS contexts");
    for (SSL_CTX *ctx = srv_ctx; ctx; ctx = ctx == srv_ctx ? cli_ctx : NULL) {
        SSL_CTX_set_mode(ctx, mode);
        SSL_CTX_set_read_ahead(ctx, 1);
        SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    }
    /* client side: our leaf only (the client has the CA); session cache and tickets as defaults */
    if (SSL_CTX_use_certificate(srv_ctx, leaf) != 1 || SSL_CTX_use_PrivateKey(srv_ctx, key) != 1)
        die("cannot install the leaf");
    /* origin side: trust only the origin CA; the hostname is set per connection (SSL_set1_host) */
    if (SSL_CTX_load_verify_locations(cli_ctx, origin_ca, NULL) != 1) die("cannot read the origin CA");
    SSL_CTX_set_verify(cli_ctx, SSL_VERIFY_PEER, NULL);
    X509_free(ca); X509_free(leaf); EVP_PKEY_free(ca_key); EVP_PKEY_free(key);
}

/* ---------- connection bookkeeping ---------- */

static void set_mask(struct side *s, uint32_t m) {
    struct epoll_event ev = { .events = m, .data.ptr = s };
    if (m == s->mask) return;
    epoll_ctl(ep, !s->mask ? EPOLL_CTL_ADD : !m ? EPOLL_CTL_DEL : EPOLL_CTL_MOD, s->fd, &ev);
    s->mask = m;
}

static void kill_conn(struct conn *c) {          /* close() also drops the fds from epoll */
    for (int i = 0; i < 2; i++) {
        if (c->s[i].ssl) SSL_free(c->s[i].ssl);
        if (c->s[i].fd >= 0) close(c->s[i].fd);
    }
    ERR_clear_error();                           /* so a stale error cannot mislead SSL_get_error later */
    c->state = DEAD;
    c->next_dead = dead;
    dead = c;
}

/* Map a failed SSL call to the epoll event it waits for; 0 = a real error. */
static uint32_t want_of(SSL *ssl, int ret) {
    switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ: return EPOLLIN;
    case SSL_ERROR_WANT_WRITE: return EPOLLOUT;
    default: return 0;
    }
}

/* ---------- relaying ---------- */

/* Move plaintext along direction i until it stalls (blk_side/blk_want say on what) or is shut.
 * Returns -1 on a TLS or socket error. */
static int pump(struct conn *c, int i) {
    struct dir *d = &c->d[i];
    struct side *src = &c->s[i], *dst = &c->s[1 - i];
    int reads = 0;
    d->blk_want = 0;
    while (!d->shut) {
        if (d->off < d->len) {                   /* 1. write what is pending */
            int n = SSL_write(dst->ssl, d->buf + d->off, (int)(d->len - d->off));
            if (n > 0) { d->off += n; continue; }
            d->blk_side = 1 - i;
            return (d->blk_want = want_of(dst->ssl, n)) ? 0 : -1;
        }
        if (d->eof) {                            /* 2. drained after EOF: pass the close on */
            int r = SSL_shutdown(dst->ssl);      /* sends close_notify; we do not wait for the reply */
            if (r < 0) {
                d->blk_side = 1 - i;
                return (d->blk_want = want_of(dst->ssl, r)) ? 0 : -1;
            }
            shutdown(dst->fd, SHUT_WR);
            d->shut = 1;
            return 0;
        }
        /* 3. empty: read one record. After a first read, if OpenSSL holds no bytes of its own
         * (read-ahead buffer empty), the rest is in the kernel and level-triggered EPOLLIN will
         * say so: skip the read(2) that would only return EAGAIN (2 syscalls per request). */
        if (reads++ && !SSL_has_pending(src->ssl)) { d->blk_side = i; d->blk_want = EPOLLIN; return 0; }
        int n = SSL_read(src->ssl, d->buf, BUFSZ);
        if (n > 0) { d->off = 0; d->len = n; continue; }
        if (SSL_get_error(src->ssl, n) == SSL_ERROR_ZERO_RETURN) { d->eof = 1; continue; }
        d->blk_side = i;
        return (d->blk_want = want_of(src->ssl, n)) ? 0 : -1;
    }
    return 0;
}

/* Advance one side's handshake; returns -1 on failure (e.g. the origin's certificate does not verify). */
static int handshake(struct conn *c, int i) {
    struct side *s = &c->s[i];
    if (s->hs_done || (i == ORI && c->connecting)) return 0;
    int r = SSL_do_handshake(s->ssl);
    if (r == 1) { s->hs_done = 1; s->hs_want = 0; return 0; }
    return (s->hs_want = want_of(s->ssl, r)) ? 0 : -1;
}

/* Re-derive both sockets' epoll interest from what is stalled on them; close when both are shut. */
static void update(struct conn *c) {
    uint32_t m[2] = { 0, 0 };
    if (c->state == RELAY) {
        if (c->d[0].shut && c->d[1].shut) { kill_conn(c); return; }
        for (int i = 0; i < 2; i++)
            if (!c->d[i].shut) m[c->d[i].blk_side] |= c->d[i].blk_want;
    } else {
        m[CLI] = c->s[CLI].hs_done ? 0 : c->s[CLI].hs_want;
        m[ORI] = c->connecting ? EPOLLOUT : c->s[ORI].hs_done ? 0 : c->s[ORI].hs_want;
    }
    for (int i = 0; i < 2; i++) set_mask(&c->s[i], m[i]);
}

/* ---------- the CONNECT head ---------- */

static void reply_and_close(struct conn *c, const char *msg) {
    (void)!write(c->s[CLI].fd, msg, strlen(msg)); /* fresh socket: a short reply always fits */
    kill_conn(c);
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

/* Create both TLS sessions and start the origin connect; the two handshakes then run side by side. */
static void start_tls(struct conn *c) {
    static const char ok[] = "HTTP/1.1 200 Connection established\r\n\r\n";
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(origin_port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) { reply_and_close(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"); return; }
    c->s[ORI].fd = fd;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) c->connecting = 0;
    else if (errno == EINPROGRESS) c->connecting = 1;
    else { reply_and_close(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"); return; }
    if (write(c->s[CLI].fd, ok, sizeof ok - 1) != sizeof ok - 1) { kill_conn(c); return; }

    SSL *cs = c->s[CLI].ssl = SSL_new(srv_ctx), *os = c->s[ORI].ssl = SSL_new(cli_ctx);
    if (!cs || !os) { kill_conn(c); return; }
    SSL_set_fd(cs, c->s[CLI].fd);
    SSL_set_accept_state(cs);
    SSL_set_fd(os, fd);
    SSL_set_connect_state(os);
    SSL_set_tlsext_host_name(os, c->host);        /* SNI = the CONNECT host */
    SSL_set1_host(os, c->host);                   /* and the origin's certificate must name it */
    c->state = HANDSHAKE;
    if (handshake(c, CLI) < 0 || handshake(c, ORI) < 0) { kill_conn(c); return; }
    update(c);
}

/* Parse "CONNECT host:port HTTP/1.x" once the head is complete; then start TLS or refuse. */
static void on_head(struct conn *c) {
    char *line = c->head, *eol = strstr(line, "\r\n"), *auth, *sp, *colon;
    *eol = '\0';
    if (strncmp(line, "CONNECT ", 8) != 0 || !(sp = strchr(auth = line + 8, ' '))
        || (strcmp(sp + 1, "HTTP/1.1") != 0 && strcmp(sp + 1, "HTTP/1.0") != 0)
        || !(colon = memrchr(auth, ':', sp - auth))) {
        reply_and_close(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    *sp = '\0';
    size_t hlen = colon - auth;
    if (hlen >= sizeof c->host || !allowed(auth, hlen, colon + 1)) {
        reply_and_close(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
        return;
    }
    memcpy(c->host, auth, hlen);
    c->host[hlen] = '\0';
    start_tls(c);
}

/* Peek at the socket and consume only up to the end of the head: what follows is TLS for SSL_accept. */
static void read_head(struct conn *c) {
    int fd = c->s[CLI].fd;
    ssize_t n = recv(fd, c->head + c->headlen, HEADSZ - 1 - c->headlen, MSG_PEEK);
    if (n <= 0) { if (n == 0 || errno != EAGAIN) kill_conn(c); return; }
    size_t from = c->headlen > 3 ? c->headlen - 3 : 0, have = c->headlen + n, take = n;
    c->head[have] = '\0';
    char *end = strstr(c->head + from, "\r\n\r\n");
    if (end) take = end + 4 - (c->head + c->headlen);
    if (recv(fd, c->head + c->headlen, take, 0) != (ssize_t)take) { kill_conn(c); return; }
    c->headlen += take;
    c->head[c->headlen] = '\0';
    if (end) on_head(c);
    else if (c->headlen == HEADSZ - 1)
        reply_and_close(c, "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n\r\n");
}

/* ---------- events ---------- */

static void on_event(struct conn *c, int i) {
    if (c->state == HEAD) { read_head(c); return; }
    if (c->state == HANDSHAKE) {
        if (i == ORI && c->connecting) {
            int err = 0; socklen_t len = sizeof err;
            getsockopt(c->s[ORI].fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) { kill_conn(c); return; }   /* the client already has its 200: just close */
            c->connecting = 0;
        }
        if (handshake(c, i) < 0) { kill_conn(c); return; }
        if (!(c->s[CLI].hs_done && c->s[ORI].hs_done)) { update(c); return; }
        c->state = RELAY;                        /* both done: read whatever either side has sent */
        if (pump(c, CLI) < 0 || pump(c, ORI) < 0) { kill_conn(c); return; }
    } else {
        /* re-run only the directions stalled on this socket: one waits to read from it, the
         * other to write to it (or SSL_write waits for a read, SSL_read for a write) */
        for (int k = 0; k < 2; k++)
            if (!c->d[k].shut && c->d[k].blk_side == i && pump(c, k) < 0) { kill_conn(c); return; }
    }
    update(c);
}

static void new_conn(int fd) {
    struct conn *c = calloc(1, sizeof *c);
    if (!c) { close(fd); return; }
    c->s[CLI].fd = fd; c->s[ORI].fd = -1;
    for (int i = 0; i < 2; i++) c->s[i].c = c, c->s[i].i = i;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    set_mask(&c->s[CLI], EPOLLIN);
}

int main(int argc, char **argv) {
    const char *port_env = getenv("BENCH_ORIGIN_PORT"), *origin_ca = getenv("BENCH_ORIGIN_CA");
    origin_host = getenv("BENCH_ORIGIN_HOST");
    if (argc < 4 || !origin_host || !port_env || !origin_ca || strlen(origin_host) > 200) {
        fprintf(stderr, "usage: BENCH_ORIGIN_HOST=h BENCH_ORIGIN_PORT=p BENCH_ORIGIN_CA=origin-ca.pem "
                        "%s LISTEN_PORT CA_PEM CA_KEY\n", argv[0]);
        return 2;
    }
    origin_port = atoi(port_env);
    signal(SIGPIPE, SIG_IGN);                     /* a write to a reset peer returns EPIPE instead */
    make_contexts(argv[2], argv[3], origin_ca);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 4096) < 0) { perror("listen"); return 1; }
    ep = epoll_create1(0);
    struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };  /* NULL cookie = listener */
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    fprintf(stderr, "tls-relay: 127.0.0.1:%s -> 127.0.0.1:%d for %s (and subdomains), intercepting TLS\n",
            argv[1], origin_port, origin_host);

    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        if (n < 0 && errno != EINTR) { perror("epoll_wait"); return 1; }
        for (int k = 0; k < n; k++) {
            struct side *s = evs[k].data.ptr;
            if (!s) {                              /* accept everything queued */
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) new_conn(fd);
                continue;
            }
            if (s->c->state != DEAD) on_event(s->c, s->i);
        }
        while (dead) {                            /* no event of this batch can point at them now */
            struct conn *c = dead;
            dead = c->next_dead;
            free(c);
        }
    }
}

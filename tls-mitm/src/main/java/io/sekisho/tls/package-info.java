/**
 * TLS interception: the corporate CA ({@link io.sekisho.tls.CertificateAuthority}), a trial CA
 * ({@link io.sekisho.tls.CaInit}), per-host leaf certificates ({@link io.sekisho.tls.LeafMinter}),
 * their bounded single-flight cache ({@link io.sekisho.tls.LeafCache}), the client-facing server
 * contexts ({@link io.sekisho.tls.ServerTls}) and the always-verified upstream client context
 * ({@link io.sekisho.tls.UpstreamTls}).
 *
 * <p>Nothing in this package logs key material, and there is no switch that turns upstream
 * certificate verification off.
 */
package io.sekisho.tls;

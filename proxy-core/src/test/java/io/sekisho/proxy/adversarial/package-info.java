/**
 * The adversarial suite (issue 18 point 6): hostile clients and origins against the real proxy
 * over real sockets, in {@code mvn -B verify}, with small timeouts so each case ends in seconds.
 * A desync or a request the origin should not have seen is a failure; so is a leaked buffer
 * (LeakFailExtension runs for every class).
 *
 * <p>Smuggling and floods:
 * <ul>
 *   <li>{@link io.sekisho.proxy.adversarial.SmugglingTest}: CL.TE, TE.CL, duplicate and listed
 *       CL, TE variants, TE in HTTP/1.0, obs-fold, bare CR and LF, NUL and tabs, unknown versions,
 *       chunk sizes that are not plain hex or overflow, each followed by a hidden request, on the
 *       absolute-form and the intercepted path: 400, close, nothing at the origin; and framings
 *       that are valid (chunk extensions, pipelined bodies) reach it exactly as sent.</li>
 *   <li>{@link io.sekisho.proxy.adversarial.PipelinedFloodTest}: 200 000 pipelined requests from
 *       a client that never reads, on both paths: bounded memory, others served.</li>
 *   <li>Bodies dressed to escape inspection (codings, streaming hashes, binary types, invocation
 *       paths, trailers): {@code forward/AwsBodyReadingTest} with the production engine, and the
 *       policy tables {@code BodyPlanTest}, {@code ContentCodingsTest}, {@code TrailersTest}.</li>
 * </ul>
 *
 * <p>Exhaustion cases here:
 * <ul>
 *   <li>{@link io.sekisho.proxy.adversarial.SlowlorisTest}: request heads trickled a byte at a
 *       time by 20 clients get 408 at timeouts.requestHeader while another client is served;
 *       the same for a body, which gets 408 REQUEST_BODY_TIMEOUT at timeouts.requestBody.</li>
 *   <li>{@link io.sekisho.proxy.adversarial.IdleTunnelsTest}: 200 idle CONNECT tunnels are
 *       closed on both sides after timeouts.idle and audited; a new client is served meanwhile.</li>
 *   <li>{@link io.sekisho.proxy.adversarial.UpstreamMisbehaviourTest}: ten clients of an origin
 *       that never answers get 504 UPSTREAM_TIMEOUT (no retry, upstreams closed) while another
 *       is served; an origin that resets mid-response; one that half-closes before answering;
 *       a body delimited by the origin's half-close.</li>
 *   <li>{@link io.sekisho.proxy.adversarial.ExpectContinueWithoutBodyTest}: 100-continue whose
 *       body never comes, passed to the origin or answered by the proxy itself; an origin's
 *       final answer to the expectation ends the connection.</li>
 * </ul>
 *
 * <p>Single-connection versions already tested elsewhere, not repeated here:
 * <ul>
 *   <li>one partial head, and a connection that sends nothing, get 408:
 *       {@code pipeline/ProtocolErrorTest#aRequestHeadThatNeverCompletesGets408},
 *       {@code #aConnectionThatSendsNothingGets408Too};</li>
 *   <li>a kept-alive client with no next request is closed without 408:
 *       {@code forward/KeepAliveTimersTest#aKeptAliveClientIsClosedQuietlyWhenNoNextRequestComes};</li>
 *   <li>one idle tunnel is closed and audited: {@code connect/SniCheckTest#anIdleTunnelIsClosedAndAudited};</li>
 *   <li>one origin that never answers is 504, its connection not reused:
 *       {@code forward/UpstreamFailureTest#anOriginThatNeverAnswersIs504AfterTheResponseTimeoutAndItsConnectionIsNotReused};
 *       intercepted, an upstream silent in the TLS handshake is 504:
 *       {@code intercept/UpstreamTlsFailureTest} (row SILENT);</li>
 *   <li>an upstream connect that never completes is 504, a refused one 502, an origin closing
 *       (FIN) before answering 502 or mid-body cuts the client off, a client aborting mid-download
 *       closes the upstream: {@code forward/UpstreamFailureTest};</li>
 *   <li>a tunnel passes a half-close both ways: {@code connect/TunnelTest#connectRelaysBytesBothWaysAndPassesHalfClose};</li>
 *   <li>100-continue answered by the proxy when it reads the body, passed on otherwise, and a
 *       denied upload refused without 100: {@code forward/BodyInspectionTest},
 *       {@code intercept/InterceptedClientsTest}.</li>
 * </ul>
 */
package io.sekisho.proxy.adversarial;

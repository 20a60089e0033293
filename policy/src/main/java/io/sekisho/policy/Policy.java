package io.sekisho.policy;

/**
 * The policy as the proxy sees it: one conversation per exchange. For each phase of an
 * exchange (a CONNECT, a request head, its body, its trailers, the response) the proxy asks
 * {@link #decide} and gets either a final {@link Decision} or a {@link Need}; it gathers what was
 * needed, adds it to the {@link Exchange} and asks again, until a decision.
 *
 * <p>Everything a decision is made of is decided here, in one place, the same way for every
 * phase: the checks by name, by address and per request are combined here, report mode is
 * applied here, and an internal error is a deny ({@code INTERNAL_ERROR}) here. The proxy acts on
 * the decision and never reads its reason. Pure apart from what it learns from responses (token
 * provenance): no I/O, no logging, never blocks.
 */
public interface Policy {

    /** The next answer for this exchange. Never null; never throws. */
    Answer decide(Exchange exchange);
}

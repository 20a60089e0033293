package io.sekisho.policy;

/**
 * What the policy answers at each step of an exchange ({@link Policy#decide}): a final
 * {@link Decision}, or a {@link Need} for more before it can decide. Squid's DUNNO, made a type:
 * the proxy gathers what was asked for, adds it to the {@link Exchange} and asks again.
 */
public sealed interface Answer permits Decision, Need {
}

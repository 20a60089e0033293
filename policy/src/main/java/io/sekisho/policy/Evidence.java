package io.sekisho.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a request revealed about the AWS accounts involved. Every string field is "" when
 * unknown, never null. Values here reach the audit log, so they never hold a secret: the
 * access key ID is stored already masked (first 4 and last 4 characters).
 *
 * @param principalAccount the account whose credentials signed the request (who acts)
 * @param resourceAccounts every account acted upon (hosts, ARNs, queue URLs, sharing calls)
 * @param accessKeyIdMasked the signing key ID, masked, e.g. {@code AKIA…SG5Y}
 * @param keyType {@code long-term}, {@code temporary} or {@code unknown} ("" when no key)
 * @param service the AWS service (credential scope, else host)
 * @param region the AWS region (credential scope, else host)
 * @param action the API action (X-Amz-Target, Action=, or S3 method and path)
 * @param signing how the request was signed: sigv4-header, sigv4-query, sigv4a, sigv2,
 *     post-form, bearer, none
 * @param flow console sign-in flow: portal, oidc, federation, saml, iam-user, root, console
 * @param identityCenterInstance the Identity Center instance or start URL host when known
 * @param protocol the wire protocol a blocked call must be answered in
 */
public record Evidence(
        String principalAccount,
        List<String> resourceAccounts,
        String accessKeyIdMasked,
        String keyType,
        String service,
        String region,
        String action,
        String signing,
        String flow,
        String identityCenterInstance,
        AwsProtocol protocol) {

    public static final Evidence NONE =
            new Evidence("", List.of(), "", "", "", "", "", "", "", "", AwsProtocol.NONE);

    public Evidence {
        Objects.requireNonNull(principalAccount);
        resourceAccounts = List.copyOf(resourceAccounts);
        Objects.requireNonNull(accessKeyIdMasked);
        Objects.requireNonNull(keyType);
        Objects.requireNonNull(service);
        Objects.requireNonNull(region);
        Objects.requireNonNull(action);
        Objects.requireNonNull(signing);
        Objects.requireNonNull(flow);
        Objects.requireNonNull(identityCenterInstance);
        Objects.requireNonNull(protocol);
    }

    /**
     * This evidence with what it lacks taken from {@code other}: each empty field filled from
     * {@code other}'s, the resource accounts of both (this one's first, no repeats). How two
     * inspectors' evidence for one request is put together.
     */
    public Evidence completedBy(Evidence other) {
        if (other.equals(NONE) || other.equals(this)) {
            return this;
        }
        List<String> accounts = new ArrayList<>(resourceAccounts);
        for (String a : other.resourceAccounts) {
            if (!accounts.contains(a)) {
                accounts.add(a);
            }
        }
        return new Evidence(or(principalAccount, other.principalAccount), accounts,
                or(accessKeyIdMasked, other.accessKeyIdMasked), or(keyType, other.keyType),
                or(service, other.service), or(region, other.region), or(action, other.action),
                or(signing, other.signing), or(flow, other.flow),
                or(identityCenterInstance, other.identityCenterInstance),
                protocol == AwsProtocol.NONE ? other.protocol : protocol);
    }

    private static String or(String mine, String theirs) {
        return mine.isEmpty() ? theirs : mine;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder(NONE);
    }

    /** Mutable builder used while extractors run; {@link #build()} freezes it. */
    public static final class Builder {
        private String principalAccount;
        private List<String> resourceAccounts;
        private String accessKeyIdMasked;
        private String keyType;
        private String service;
        private String region;
        private String action;
        private String signing;
        private String flow;
        private String identityCenterInstance;
        private AwsProtocol protocol;

        private Builder(Evidence e) {
            principalAccount = e.principalAccount;
            resourceAccounts = e.resourceAccounts;
            accessKeyIdMasked = e.accessKeyIdMasked;
            keyType = e.keyType;
            service = e.service;
            region = e.region;
            action = e.action;
            signing = e.signing;
            flow = e.flow;
            identityCenterInstance = e.identityCenterInstance;
            protocol = e.protocol;
        }

        public Builder principalAccount(String v) { principalAccount = v; return this; }
        public Builder resourceAccounts(List<String> v) { resourceAccounts = v; return this; }
        public Builder accessKeyIdMasked(String v) { accessKeyIdMasked = v; return this; }
        public Builder keyType(String v) { keyType = v; return this; }
        public Builder service(String v) { service = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder action(String v) { action = v; return this; }
        public Builder signing(String v) { signing = v; return this; }
        public Builder flow(String v) { flow = v; return this; }
        public Builder identityCenterInstance(String v) { identityCenterInstance = v; return this; }
        public Builder protocol(AwsProtocol v) { protocol = v; return this; }

        public Evidence build() {
            return new Evidence(principalAccount, resourceAccounts, accessKeyIdMasked, keyType, service,
                    region, action, signing, flow, identityCenterInstance, protocol);
        }
    }
}

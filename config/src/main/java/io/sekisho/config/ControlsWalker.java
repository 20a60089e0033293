package io.sekisho.config;

import io.sekisho.policy.AwsControls;
import java.util.List;

/**
 * The alias lists under {@code aws.s3} and the closed-network controls {@code aws.sts} and
 * {@code aws.ssm} (issue 15 points 5 and 8), as {@link AwsControls}.
 */
final class ControlsWalker {
    static final List<String> SSM_KEYS = List.of("startSession");
    static final List<String> SESSION_KEYS = List.of("documents", "targets", "remoteHosts");

    private final AwsWalker lists;

    ControlsWalker(AwsWalker lists) {
        this.lists = lists;
    }

    /** @param sts the {@code aws.sts} section, read once by {@link AwsWalker} (it holds the session-name rule too) */
    AwsControls walk(Section aws, Section s3, Section sts) {
        List<String> accessPoints = lists.strings(s3.section("accessPoints", List.of("allow")), "allow",
                ControlValues::accessPointAlias);
        List<String> mraps = lists.strings(s3.section("multiRegionAccessPoints", List.of("allow")), "allow",
                ControlValues::mrapAlias);
        Section assumeRole = sts.section("assumeRole", List.of("mfaRequired"));
        List<String> mfaRoles = lists.strings(assumeRole, "mfaRequired", ControlValues::roleArn);
        Section session = aws.section("ssm", SSM_KEYS).section("startSession", SESSION_KEYS);
        List<String> documents = lists.strings(session, "documents", ControlValues::document);
        List<String> targets = lists.strings(session, "targets", ControlValues::target);
        List<String> hosts = lists.strings(session, "remoteHosts", ControlValues::remoteHost);
        return new AwsControls(accessPoints, mraps, mfaRoles, documents, targets, hosts);
    }
}

package io.sekisho.policy;

import java.util.List;

/**
 * The AWS controls that narrow what the company's own credentials may do (issue 15 points 5
 * and 8): alias hosts whose owner the wire does not show, and the closed-network IAM conditions
 * of Security-JAWS' SSM talk, applied at the proxy. Every list empty means the control is off,
 * except the alias lists: an alias that is not listed is denied.
 *
 * @param accessPointAliases {@code aws.s3.accessPoints.allow}: S3 access point aliases
 *     ({@code …-s3alias}, {@code …--ol-s3}, {@code …--op-s3}), as globs in lower case
 * @param multiRegionAccessPoints {@code aws.s3.multiRegionAccessPoints.allow}: Multi-Region Access
 *     Point aliases ({@code mfzwi23gnjvgw.mrap} is written {@code mfzwi23gnjvgw}), as globs
 * @param mfaRoles {@code aws.sts.assumeRole.mfaRequired}: role ARN globs whose AssumeRole must
 *     carry {@code SerialNumber} and {@code TokenCode}
 * @param sessionDocuments {@code aws.ssm.startSession.documents}: the documents a StartSession
 *     may name (no DocumentName is the shell, {@code SSM-SessionManagerRunShell}); empty: any
 * @param sessionTargets {@code aws.ssm.startSession.targets}: target globs; empty: any
 * @param remoteHosts {@code aws.ssm.startSession.remoteHosts}: the {@code host} parameters a
 *     remote-host port forwarding may name (globs, lower case); empty: any
 */
public record AwsControls(
        List<String> accessPointAliases,
        List<String> multiRegionAccessPoints,
        List<String> mfaRoles,
        List<String> sessionDocuments,
        List<String> sessionTargets,
        List<String> remoteHosts) {

    /** No alias listed (so every alias is denied), no closed-network control. */
    public static final AwsControls NONE =
            new AwsControls(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public AwsControls {
        accessPointAliases = List.copyOf(accessPointAliases);
        multiRegionAccessPoints = List.copyOf(multiRegionAccessPoints);
        mfaRoles = List.copyOf(mfaRoles);
        sessionDocuments = List.copyOf(sessionDocuments);
        sessionTargets = List.copyOf(sessionTargets);
        remoteHosts = List.copyOf(remoteHosts);
    }
}

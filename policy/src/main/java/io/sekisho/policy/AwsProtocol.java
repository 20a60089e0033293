package io.sekisho.policy;

/**
 * The error dialect a blocked AWS call must be answered in, so that the client prints the
 * reason (DESIGN.md "Behaviour users rely on").
 */
public enum AwsProtocol {
    /** Not an AWS API call: a browser gets the HTML block page, anything else plain text. */
    NONE,
    /** S3 and other REST-XML services: {@code <Error><Code>AccessDenied</Code>…}. */
    REST_XML,
    /** JSON and REST-JSON services: {@code {"__type":"AccessDeniedException","message":…}}. */
    JSON,
    /** Query protocol (STS, EC2, SNS, IAM…): {@code <ErrorResponse><Error><Type>Sender</Type>…}. */
    QUERY
}

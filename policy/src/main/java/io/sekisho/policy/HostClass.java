package io.sekisho.policy;

/**
 * What kind of destination a host is, as far as AWS is concerned (the AWS host catalog
 * assigns it). Decides the default for interception and for customer-hosted endpoints.
 */
public enum HostClass {
    /** Not an AWS name: domain policy alone applies; tunnelled unless {@code tls.intercept} names it. */
    NOT_AWS,
    /** An AWS service API endpoint in any partition (intercepted by default). */
    AWS_API,
    /** Sign-in, console and Identity Center portal hosts (intercepted by default). */
    AWS_SIGNIN_CONSOLE,
    /** AWS static assets for the console (tunnelled). */
    AWS_STATIC,
    /**
     * A customer-hosted endpoint under an AWS name (EC2 public DNS, ELB, API Gateway, Lambda
     * URLs, CloudFront…): denied unless a domain rule names it or a narrower pattern.
     */
    AWS_CUSTOMER_ENDPOINT,
    /**
     * A name under an AWS-owned suffix ({@code aws.amazon.com}, the {@code .aws} domain,
     * {@code amazonaws.cn}…) that no more specific catalog row describes: a new service or
     * console host. Intercepted by default and judged by the generic AWS checks; without a
     * credential only a read passes (issue 15 point 7).
     */
    AWS_UNKNOWN
}

package io.sekisho.policy.aws.wire;

/**
 * A reader fed the parameters of one query or form one at a time, so that several readers share
 * one pass over it (as {@code request/QueryForm} does for credentials, resource accounts and
 * Action).
 */
public interface ParamSink {
    /** A sink that reads nothing. */
    ParamSink NONE = new ParamSink() {
        @Override
        public void param(Params p) {
        }

        @Override
        public void end() {
        }
    };

    /** Reads the current parameter of {@code p}. */
    void param(Params p);

    /** After the last parameter. */
    void end();
}

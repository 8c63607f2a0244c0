package io.raregen.functions;

import io.raregen.functions.support.LambdaTransport;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The same endpoint tests through the Lambda handler with API Gateway v2 events. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaEndpointsTest extends AbstractEndpointsTest {

    private TestEnv env;
    private LambdaTransport lambda;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        lambda = new LambdaTransport(env.properties());
    }

    @AfterAll
    void stop() {
        lambda.close();
        env.close();
    }

    @Override
    protected TestEnv env() {
        return env;
    }

    @Override
    protected Transport transport() {
        return lambda;
    }
}

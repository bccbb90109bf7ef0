// The benchmark's CDK twin of a Sluice app: N functions, each consuming its own queue through an
// event source mapping, with code from an artifact bucket and key given as parameters, as
// `sluice synth` writes it. Usage: node bench/cdk-app.mjs N OUTDIR
import { App, CfnParameter, Duration, Stack } from "aws-cdk-lib";
import { Code, Function as LambdaFunction, Runtime } from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { Queue } from "aws-cdk-lib/aws-sqs";

const count = Number(process.argv[2] ?? 1);
const outdir = process.argv[3] ?? "cdk.out";
const app = new App({ outdir });
const stack = new Stack(app, "bench");
const bucket = Bucket.fromBucketName(
  stack,
  "Artifacts",
  new CfnParameter(stack, "ArtifactBucket").valueAsString,
);
for (let i = 0; i < count; i++) {
  const queue = new Queue(stack, `Q${i}`, { visibilityTimeout: Duration.seconds(60) });
  const key = new CfnParameter(stack, `F${i}CodeKey`).valueAsString;
  const fn = new LambdaFunction(stack, `F${i}`, {
    runtime: Runtime.NODEJS_22_X,
    handler: "index.handler",
    code: Code.fromBucket(bucket, key),
  });
  fn.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));
}
app.synth();

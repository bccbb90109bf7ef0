import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { resources } from "sluice/runtime";

const s3 = new S3Client({});

/** A stand-in for the post's Athena query over tweets: a sentiment summary per country. */
function summarise(country: string): { country: string; tweets: number; positive: number; negative: number } {
  let seed = 0;
  for (const c of country.toLowerCase()) seed = (seed * 31 + c.charCodeAt(0)) % 10_007;
  const tweets = 1000 + (seed % 9000);
  const positive = Math.round(tweets * (0.4 + (seed % 40) / 100));
  return { country, tweets, positive, negative: tweets - positive };
}

/** RunQuery: writes the query's result to the `results` bucket and answers where it is. */
export async function handler(event: {
  executionName: string;
  country: string;
}): Promise<{ bucket: string; key: string }> {
  const bucket = resources.bucketName("results");
  const key = `results/${event.executionName}.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(summarise(event.country)),
      ContentType: "application/json",
    }),
  );
  return { bucket, key };
}

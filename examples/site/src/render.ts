import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import { resources } from "sluice/runtime";
import { titleOf } from "./markdown.ts";
import {
  ERROR_PAGE,
  errorPage,
  eventKey,
  fallbackTitle,
  INDEX_PAGE,
  indexPage,
  POST_SUFFIX,
  POSTS_PREFIX,
  type PostSummary,
  pageKey,
  postPage,
} from "./pages.ts";

// Plain AWS SDK code: locally AWS_ENDPOINT_URL points it at Sluice's endpoint, on AWS at S3.
const s3 = new S3Client({});
const HTML = "text/html; charset=utf-8";

/**
 * Invoked (asynchronously) by `content` for every post created or removed under `posts/`. Each
 * record only says which post changed: the page is made from what the bucket holds *now*, so a
 * post created and deleted before this runs is simply gone, and events arriving in any order
 * still leave the right pages. The function writes only to `site`, never to `content`, so its
 * own writes trigger nothing (writing back to the bucket that invokes it would be a loop).
 */
export async function handler(event: S3Event): Promise<void> {
  const posts = new Set<string>();
  for (const record of event.Records) {
    const key = eventKey(record.s3.object.key);
    console.log(`${record.eventName} ${key}`);
    posts.add(key);
  }
  for (const key of posts) await renderPost(key);
  await renderIndex();
}

/** Renders one post's page, or deletes the page when the post no longer exists. */
async function renderPost(key: string): Promise<void> {
  const page = pageKey(key);
  if (page === undefined) return;
  const markdown = await readPost(key);
  if (markdown === undefined) {
    await s3.send(new DeleteObjectCommand({ Bucket: resources.bucketName("site"), Key: page }));
    console.log(`removed ${page} (${key} is gone)`);
    return;
  }
  await putHtml(page, postPage(titleOf(markdown) ?? fallbackTitle(key), markdown));
  console.log(`rendered ${key} → ${page}`);
}

/**
 * The whole post, or undefined when it is gone. S3 answers NoSuchKey (404) for a missing key only
 * to a caller that may also list the bucket (else 403), which is why the function has
 * `s3:ListBucket` on `content`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 */
async function readPost(key: string, range?: string): Promise<string | undefined> {
  try {
    const got = await s3.send(
      new GetObjectCommand({ Bucket: resources.bucketName("content"), Key: key, Range: range }),
    );
    return await got.Body?.transformToString("utf-8");
  } catch (error) {
    if ((error as { name?: string }).name === "NoSuchKey") return undefined;
    throw error;
  }
}

/**
 * Rewrites the index from the posts `content` holds, reading only the first kilobyte of each (a
 * ranged GET) for its title, and the error document with it.
 */
async function renderIndex(): Promise<void> {
  const posts: PostSummary[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: resources.bucketName("content"),
        Prefix: POSTS_PREFIX,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? "";
      if (!key.endsWith(POST_SUFFIX) || pageKey(key) === undefined) continue;
      const head = await readPost(key, "bytes=0-1023");
      if (head === undefined) continue;
      posts.push({
        key,
        title: titleOf(head) ?? fallbackTitle(key),
        lastModified: object.LastModified ?? new Date(0),
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  await putHtml(INDEX_PAGE, indexPage(posts));
  await putHtml(ERROR_PAGE, errorPage());
}

async function putHtml(key: string, html: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: resources.bucketName("site"), Key: key, Body: html, ContentType: HTML }),
  );
}

/** ListObjectVersions' `<ListVersionsResult>` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html). */
import { element, text } from "../../wire/index.ts";
import type { ListVersionsOutput } from "../types.ts";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export interface ListVersionsEcho {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter?: string;
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
  readonly encodingType?: string;
  readonly owner: string;
}

export function listVersionsXml(output: ListVersionsOutput, echo: ListVersionsEcho): string {
  const enc = (value: string) =>
    echo.encodingType === "url" ? encodeURIComponent(value).replace(/%2F/g, "/") : value;
  const owner = element("Owner", text("ID", echo.owner));
  const entries = output.versions
    .map((v) => {
      const common =
        text("Key", enc(v.key)) +
        text("VersionId", v.versionId) +
        text("IsLatest", v.isLatest) +
        text("LastModified", new Date(v.lastModified).toISOString());
      return v.deleteMarker
        ? element("DeleteMarker", common + owner)
        : element(
            "Version",
            common + text("ETag", v.etag) + text("Size", v.size) + text("StorageClass", "STANDARD") + owner,
          );
    })
    .join("");
  const prefixes = output.commonPrefixes
    .map((p) => element("CommonPrefixes", text("Prefix", enc(p))))
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="${XMLNS}">${text("Name", echo.bucket)}${text(
    "Prefix",
    enc(echo.prefix),
  )}${text("KeyMarker", enc(echo.keyMarker ?? ""))}${text("VersionIdMarker", echo.versionIdMarker ?? "")}${
    output.nextKeyMarker !== undefined ? text("NextKeyMarker", enc(output.nextKeyMarker)) : ""
  }${output.nextVersionIdMarker !== undefined ? text("NextVersionIdMarker", output.nextVersionIdMarker) : ""}${text(
    "MaxKeys",
    output.maxKeys,
  )}${echo.delimiter ? text("Delimiter", enc(echo.delimiter)) : ""}${text("IsTruncated", output.isTruncated)}${
    echo.encodingType ? text("EncodingType", echo.encodingType) : ""
  }${entries}${prefixes}</ListVersionsResult>`;
}

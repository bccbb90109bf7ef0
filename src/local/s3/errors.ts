import { AwsError } from "../../model/errors.ts";

/**
 * S3's errors with the status and message S3 answers them with (S3 API Reference, "Error
 * responses": https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). The REST
 * protocol carries `Code` and `Message` in an XML `<Error>` body; HEAD responses carry no body.
 */
export const S3_ERRORS = {
  AccessForbidden: { statusCode: 403, message: "CORSResponse: CORS is not enabled for this bucket." },
  BadDigest: { statusCode: 400, message: "The Content-MD5 you specified did not match what we received." },
  BucketAlreadyExists: {
    statusCode: 409,
    message:
      "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  },
  BucketAlreadyOwnedByYou: {
    statusCode: 409,
    message: "Your previous request to create the named bucket succeeded and you already own it.",
  },
  BadRequest: { statusCode: 400, message: "Bad Request" },
  BucketNotEmpty: { statusCode: 409, message: "The bucket you tried to delete is not empty" },
  EntityTooSmall: {
    statusCode: 400,
    message: "Your proposed upload is smaller than the minimum allowed object size.",
  },
  EntityTooLarge: { statusCode: 400, message: "Your proposed upload exceeds the maximum allowed size" },
  IllegalLocationConstraintException: {
    statusCode: 400,
    message:
      "The location constraint is incompatible for the region specific endpoint this request was sent to.",
  },
  IncompleteBody: {
    statusCode: 400,
    message: "You did not provide the number of bytes specified by the Content-Length HTTP header.",
  },
  InternalError: { statusCode: 500, message: "We encountered an internal error. Please try again." },
  InvalidArgument: { statusCode: 400, message: "Invalid Argument" },
  InvalidBucketName: { statusCode: 400, message: "The specified bucket is not valid." },
  InvalidDigest: { statusCode: 400, message: "The Content-MD5 you specified is not valid." },
  InvalidLocationConstraint: { statusCode: 400, message: "The specified location-constraint is not valid" },
  InvalidPart: {
    statusCode: 400,
    message:
      "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartOrder: {
    statusCode: 400,
    message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
  },
  InvalidObjectState: {
    statusCode: 403,
    message: "The operation is not valid for the current state of the object.",
  },
  InvalidRange: { statusCode: 416, message: "The requested range is not satisfiable" },
  InvalidRequest: { statusCode: 400, message: "Invalid Request" },
  KeyTooLongError: { statusCode: 400, message: "Your key is too long" },
  MalformedXML: {
    statusCode: 400,
    message: "The XML you provided was not well-formed or did not validate against our published schema",
  },
  MalformedPolicy: {
    statusCode: 400,
    message: "Policies must be valid JSON and the first byte must be '{'",
  },
  MetadataTooLarge: {
    statusCode: 400,
    message: "Your metadata headers exceed the maximum allowed metadata size.",
  },
  MethodNotAllowed: {
    statusCode: 405,
    message: "The specified method is not allowed against this resource.",
  },
  NoSuchBucketPolicy: { statusCode: 404, message: "The bucket policy does not exist" },
  NoSuchCORSConfiguration: { statusCode: 404, message: "The CORS configuration does not exist" },
  NoSuchLifecycleConfiguration: { statusCode: 404, message: "The lifecycle configuration does not exist" },
  NoSuchPublicAccessBlockConfiguration: {
    statusCode: 404,
    message: "The public access block configuration was not found",
  },
  NoSuchTagSet: { statusCode: 404, message: "The TagSet does not exist" },
  NoSuchVersion: {
    statusCode: 404,
    message: "The specified version does not exist.",
  },
  NoSuchWebsiteConfiguration: {
    statusCode: 404,
    message: "The specified bucket does not have a website configuration",
  },
  NoSuchBucket: { statusCode: 404, message: "The specified bucket does not exist" },
  NoSuchKey: { statusCode: 404, message: "The specified key does not exist." },
  NoSuchUpload: {
    statusCode: 404,
    message:
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  },
  NotModified: { statusCode: 304, message: "Not Modified" },
  PreconditionFailed: {
    statusCode: 412,
    message: "At least one of the pre-conditions you specified did not hold",
  },
  ConditionalRequestConflict: {
    statusCode: 409,
    message: "The conditional request cannot succeed due to a conflicting operation against this resource.",
  },
  InvalidTag: { statusCode: 400, message: "The TagValue you have provided is invalid" },
  NotImplemented: {
    statusCode: 501,
    message: "A header you provided implies functionality that is not implemented",
  },
  XAmzContentSHA256Mismatch: {
    statusCode: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  },
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

/**
 * An S3 error. `details` become extra elements of the XML body (`BucketName`, `Key`,
 * `RangeRequested`...), as S3 adds them.
 */
export class S3Error extends AwsError {
  override readonly code: S3ErrorCode;
  readonly details: Readonly<Record<string, string | number>>;
  /** Headers S3 sends with this error (`x-amz-delete-marker`, `x-amz-version-id`, `last-modified`). */
  headers: Record<string, string> = {};

  constructor(code: S3ErrorCode, details: Record<string, string | number> = {}, message?: string) {
    const known = S3_ERRORS[code];
    super(code, message ?? known.message, known.statusCode, details);
    this.code = code;
    this.details = details;
  }
}

export function noSuchBucket(bucket: string): S3Error {
  return new S3Error("NoSuchBucket", { BucketName: bucket });
}

export function noSuchKey(key: string): S3Error {
  return new S3Error("NoSuchKey", { Key: key });
}

/** `error` with the headers S3 adds to it. */
export function withHeaders(error: S3Error, headers: Record<string, string>): S3Error {
  error.headers = { ...error.headers, ...headers };
  return error;
}

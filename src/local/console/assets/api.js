// The control API as the page calls it: the session's token, read from the page's own URL
// (/_sluice/console/<token>/), goes as `Authorization: Bearer` (docs/console.md).

export const TOKEN = decodeURIComponent(location.pathname.split("/")[3] ?? "");

export class ApiError extends Error {}

export async function api(path, body) {
  const init = { headers: { authorization: `Bearer ${TOKEN}` }, cache: "no-store" };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`/_sluice${path}`, init);
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const message =
      data && typeof data.message === "string" ? data.message : `${res.status} ${res.statusText}`;
    throw new ApiError(data?.code ? `${data.code}: ${message}` : message);
  }
  return data;
}

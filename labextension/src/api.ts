// Calls to the lamin_lab server extension (lamin_lab/jupyter/handlers.py).
// Glue only: the server ranks, pages, filters and renders; this file fetches JSON.
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** One search hit, as lamin_lab.jupyter.catalog.hit() returns it. */
export interface IHit {
  registry: string;
  uid: string;
  name: string;
  name_field: string;
  description: string;
  version: string;
  created_at: string | null;
  score: number | null;
  code: string;
}

export interface ISearchReply {
  q: string;
  registry: string;
  offset: number;
  limit: number;
  hits: IHit[];
  has_more: boolean;
}

export interface IDescribeReply extends IHit {
  html: string;
  text: string;
}

export interface IStatusReply {
  version: string;
  instance: { name: string; uid: string; dialect: string; storage: string };
  user: string;
  registries: string[];
  counts: Record<string, number>;
}

/** An answer of the API that is not 2xx; `message` says what to do. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

/**
 * GET `lamin-lab/api/<path>` with query parameters; the JSON answer, or an ApiError.
 */
export async function requestAPI<T>(
  path: string,
  params: Record<string, string | number> = {},
  signal?: AbortSignal
): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const query = URLExt.objectToQueryString(
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))
  );
  const url = URLExt.join(settings.baseUrl, 'lamin-lab', 'api', path) + query;
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, { signal }, settings);
  } catch (error) {
    if ((error as Error).name === 'AbortError') {
      throw error;
    }
    throw new ApiError(`The Jupyter server did not answer: ${error}`, 0);
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message =
      (data && typeof data.message === 'string' && data.message) ||
      `${response.status} ${response.statusText}: is the lamin_lab server extension enabled?`;
    throw new ApiError(message, response.status);
  }
  return data as T;
}

/** The API path of a record's describe tree. */
export function describePath(registry: string, uid: string): string {
  return `describe/${encodeURIComponent(registry)}/${encodeURIComponent(uid)}`;
}

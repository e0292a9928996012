export interface PageLinks {
  first: string;
  last: string;
  prev: string | null;
  next: string | null;
}

export interface PageMeta {
  current_page: number;
  from: number | null;
  to: number | null;
  last_page: number;
  per_page: number;
  total: number;
  path: string;
  links: { url: string | null; label: string; active: boolean }[];
}

/** Pages shown around the current one before the list is shortened with "...", as Laravel does. */
const ON_EACH_SIDE = 3;

/**
 * Laravel-style pagination metadata. Links keep the request's other query parameters, so a
 * client following `next` keeps its filters and page size.
 */
export function paginate(
  path: string,
  query: Record<string, string>,
  page: number,
  perPage: number,
  total: number,
  count: number,
): { links: PageLinks; meta: PageMeta } {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const url = (n: number) => {
    const params = new URLSearchParams({ ...query, page: String(n) });
    return `${path}?${params.toString()}`;
  };
  const pages: { url: string | null; label: string; active: boolean }[] = [];
  let previous = 0;
  for (let n = 1; n <= lastPage; n += 1) {
    const near = Math.abs(n - page) <= ON_EACH_SIDE;
    if (n <= 2 || n > lastPage - 2 || near) {
      if (n - previous > 1) pages.push({ url: null, label: '...', active: false });
      pages.push({ url: url(n), label: String(n), active: n === page });
      previous = n;
    }
  }
  const prev = page > 1 ? url(page - 1) : null;
  const next = page < lastPage ? url(page + 1) : null;
  const from = count > 0 ? (page - 1) * perPage + 1 : null;
  return {
    links: { first: url(1), last: url(lastPage), prev, next },
    meta: {
      current_page: page,
      from,
      to: from === null ? null : from + count - 1,
      last_page: lastPage,
      per_page: perPage,
      total,
      path,
      links: [
        { url: prev, label: '&laquo; Previous', active: false },
        ...pages,
        { url: next, label: 'Next &raquo;', active: false },
      ],
    },
  };
}

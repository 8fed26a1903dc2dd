//! Every row of an `offset`/`limit` operation, page after page.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Which page to fetch next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Rows to skip.
    pub offset: u64,
    /// Rows to ask for.
    pub limit: u32,
}

/// One fetched page: its rows and, when the API says it, the total number
/// of rows across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: Option<u64>,
}

type Fetching<T, E> = Pin<Box<dyn Future<Output = Result<Page<T>, E>> + Send>>;

/// The rows of every page, in order: a `futures` `Stream`, or read with
/// [`Rows::next`] without one. Paging stops at the first short or empty
/// page, once `total` rows were read, or after the first error.
pub struct Rows<T, E, F> {
    fetch: F,
    limit: u32,
    offset: u64,
    buffered: VecDeque<T>,
    fetching: Option<Fetching<T, E>>,
    done: bool,
}

impl<T, E, F> std::fmt::Debug for Rows<T, E, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("buffered", &self.buffered.len())
            .field("done", &self.done)
            .finish()
    }
}

/// Pages through an operation with pages of `limit` rows: `fetch` sends one
/// request for a [`PageRequest`] and returns its [`Page`].
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // A table of 250 rows served 100 at a time (a generated client's
/// // `send()` in real use).
/// let fetch = |page: bindings_client::PageRequest| async move {
///     let end = (page.offset + u64::from(page.limit)).min(250);
///     Ok::<_, std::io::Error>(bindings_client::Page {
///         rows: (page.offset..end).collect::<Vec<u64>>(),
///         total: Some(250),
///     })
/// };
/// let mut rows = bindings_client::paginate(100, fetch);
/// let mut count = 0;
/// while let Some(row) = rows.next().await {
///     row?;
///     count += 1;
/// }
/// assert_eq!(count, 250);
/// # Ok::<(), std::io::Error>(())
/// # }).unwrap();
/// ```
pub fn paginate<T, E, F, Fut>(limit: u32, fetch: F) -> Rows<T, E, F>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
{
    Rows {
        fetch,
        limit: limit.max(1),
        offset: 0,
        buffered: VecDeque::new(),
        fetching: None,
        done: false,
    }
}

impl<T, E, F, Fut> Rows<T, E, F>
where
    F: FnMut(PageRequest) -> Fut + Unpin,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
{
    /// The next row, fetching the next page when this one is read.
    pub async fn next(&mut self) -> Option<Result<T, E>> {
        std::future::poll_fn(|context| self.poll_row(context)).await
    }

    /// Every remaining row.
    ///
    /// # Errors
    ///
    /// The first failed page.
    pub async fn collect(mut self) -> Result<Vec<T>, E> {
        let mut all = Vec::new();
        while let Some(row) = self.next().await {
            all.push(row?);
        }
        Ok(all)
    }

    fn poll_row(&mut self, context: &mut Context<'_>) -> Poll<Option<Result<T, E>>> {
        loop {
            if let Some(row) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(row)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            let fetching = self.fetching.get_or_insert_with(|| {
                Box::pin((self.fetch)(PageRequest {
                    offset: self.offset,
                    limit: self.limit,
                }))
            });
            let page = match fetching.as_mut().poll(context) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            self.fetching = None;
            match page {
                Err(error) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Ok(page) => {
                    let count = page.rows.len() as u64;
                    self.offset += count;
                    self.done = count < u64::from(self.limit)
                        || page.total.is_some_and(|total| self.offset >= total);
                    self.buffered.extend(page.rows);
                }
            }
        }
    }
}

impl<T, E, F, Fut> futures_core::Stream for Rows<T, E, F>
where
    T: Unpin,
    F: FnMut(PageRequest) -> Fut + Unpin,
    Fut: Future<Output = Result<Page<T>, E>> + Send + 'static,
{
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_row(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn table(
        rows: u64,
        total: bool,
    ) -> impl FnMut(PageRequest) -> std::future::Ready<Result<Page<u64>, String>> + Unpin {
        move |page: PageRequest| {
            let end = (page.offset + u64::from(page.limit)).min(rows);
            std::future::ready(Ok(Page {
                rows: (page.offset..end).collect(),
                total: total.then_some(rows),
            }))
        }
    }

    #[tokio::test]
    async fn every_row_once_in_order() {
        for (rows, limit, total) in [
            (0, 3, true),
            (7, 3, true),
            (9, 3, true),
            (9, 3, false),
            (1, 100, false),
        ] {
            let all = paginate(limit, table(rows, total)).collect().await;
            assert_eq!(
                all,
                Ok((0..rows).collect::<Vec<_>>()),
                "{rows} rows by {limit}"
            );
        }
    }

    #[tokio::test]
    async fn stops_at_the_total_without_an_extra_request() {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let mut inner = table(6, true);
        let all = paginate(3, move |page| {
            seen.lock().expect("lock").push(page.offset);
            inner(page)
        })
        .collect()
        .await;
        assert_eq!(all.map(|rows| rows.len()), Ok(6));
        assert_eq!(*requests.lock().expect("lock"), vec![0, 3]);
    }

    #[tokio::test]
    async fn an_error_ends_the_rows() {
        let mut rows = paginate(2, |page: PageRequest| {
            std::future::ready(if page.offset == 0 {
                Ok(Page {
                    rows: vec![1, 2],
                    total: None,
                })
            } else {
                Err("page 2 failed".to_owned())
            })
        });
        assert_eq!(rows.next().await, Some(Ok(1)));
        assert_eq!(rows.next().await, Some(Ok(2)));
        assert_eq!(rows.next().await, Some(Err("page 2 failed".to_owned())));
        assert_eq!(rows.next().await, None);
    }
}

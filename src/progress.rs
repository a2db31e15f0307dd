//! The spinner on stderr while a live scan runs: API calls so far and throttled answers.

use crate::aws::Stats;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A spinner on stderr while collecting (only when stderr is a terminal): API calls so far and
/// throttled answers, so a long scan visibly moves. Kept out of the commands so they only say when
/// it starts and stops.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the spinner over `stats` (does nothing when stderr is not a terminal, so pipes and
    /// CI logs stay clean).
    pub fn start(stats: &Stats) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                stop,
                ticker: None,
            };
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(Duration::from_millis(120));
        let (b, s, st) = (bar.clone(), stats.clone(), stop.clone());
        let ticker = std::thread::spawn(move || {
            while !st.load(Ordering::Relaxed) {
                let t = s.total();
                b.set_message(format!(
                    "collecting: {} API calls, {} throttled and retried",
                    t.calls, t.throttled
                ));
                std::thread::sleep(Duration::from_millis(200));
            }
        });
        Progress {
            bar: Some(bar),
            stop,
            ticker: Some(ticker),
        }
    }

    /// Stops the spinner and clears its line, before anything else is written to stderr.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

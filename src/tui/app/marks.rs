//! Marking pins for the pins view, and asking before a removal.

use super::*;

impl App {
    pub(super) fn toggle_mark(&mut self) {
        let Some((row, source)) = self.selected_cert() else {
            return;
        };
        let marked = Marked {
            pin: row.info.pin_sha256.clone(),
            subject: row.info.subject.clone(),
            source,
        };
        if let Some(i) = self.marked.iter().position(|m| m.pin == marked.pin) {
            self.marked.remove(i);
            self.status(format!("unmarked {}", marked.subject), Tone::Dim);
        } else {
            self.status(
                format!("marked {} for the pins view (p)", marked.subject),
                Tone::Good,
            );
            self.marked.push(marked);
        }
        self.refresh_pins();
    }

    pub(super) fn refresh_pins(&mut self) {
        let rows: Vec<crate::ops::pin::PinRow> = self
            .marked
            .iter()
            .enumerate()
            .map(|(i, m)| crate::ops::pin::PinRow {
                file: &m.source,
                item: i + 1,
                numbered: false,
                kind: "certificate",
                subject: Some(m.subject.clone()),
                pin_sha256: m.pin.clone(),
            })
            .collect();
        self.pins_text = crate::ops::pin::nats_block(&rows);
    }

    pub(super) fn ask_remove(&mut self) -> Vec<Effect> {
        let Tab::File(index) = self.current_tab() else {
            self.status(
                "d: open a bundle (tlsctl tui BUNDLE) to remove from it",
                Tone::Warn,
            );
            return Vec::new();
        };
        let Some((row, _)) = self.selected_cert() else {
            return Vec::new();
        };
        let (fingerprint, subject) = (
            row.info.fingerprint_sha256.clone(),
            row.info.subject.clone(),
        );
        let Some(bundle) = self.files.get(index).map(|f| f.path.clone()) else {
            return Vec::new();
        };
        // First what the removal would cut off (a job: it verifies every
        // issued certificate), then the question with the answer in it.
        self.busy += 1;
        self.status(
            format!("checking what removing {subject} would cut off..."),
            Tone::Dim,
        );
        vec![Effect::PlanRemove {
            index,
            bundle,
            fingerprint,
            subject,
            peers: self.issued_cert_paths(),
        }]
    }

    /// The peers a bundle change must not cut off: the certificate files
    /// of what the store issued (readable ones), and the peers given to
    /// the diff view (`--peer`).
    pub(super) fn issued_cert_paths(&self) -> Vec<PathBuf> {
        let mut peers: Vec<PathBuf> = self
            .store
            .snapshot
            .as_ref()
            .map(|s| {
                s.issued
                    .iter()
                    .filter(|r| r.row.is_some())
                    .map(|r| r.cert_path.clone())
                    .collect()
            })
            .unwrap_or_default();
        for p in self.diff.iter().flat_map(|d| &d.peer_files) {
            if !peers.contains(p) {
                peers.push(p.clone());
            }
        }
        peers
    }
}

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
                file: m.source.clone(),
                item: i + 1,
                name: m.source.clone(),
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
        let Some(f) = self.files.get(index) else {
            return Vec::new();
        };
        self.overlay = Some(Overlay::Confirm {
            question: format!("Remove {subject} from {}?", f.path.display()),
            effect: Effect::RemoveFromBundle {
                index,
                bundle: f.path.clone(),
                fingerprint,
                subject,
            },
        });
        Vec::new()
    }
}

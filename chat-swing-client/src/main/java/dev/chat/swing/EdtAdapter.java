package dev.chat.swing;

import dev.chat.swing.model.ModelEvent;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;

/** The one place where model events cross to the Event Dispatch Thread: each is re-posted there, in order. */
final class EdtAdapter implements Consumer<ModelEvent> {

    private final Consumer<ModelEvent> onEdt;

    /** @param onEdt hears every event, always on the Event Dispatch Thread */
    EdtAdapter(Consumer<ModelEvent> onEdt) {
        this.onEdt = onEdt;
    }

    @Override
    public void accept(ModelEvent event) {
        SwingUtilities.invokeLater(() -> onEdt.accept(event));
    }
}

package dev.chat.bench;

import java.nio.charset.StandardCharsets;

/** How the generator speaks to one kind of server: this chat protocol, or IRC. */
sealed interface Dialect permits Dialect.Chat, Dialect.Irc {

    /** What a client sends as soon as it is connected. */
    byte[] hello(String name, boolean sender);

    /**
     * Takes one line the server sent before the client is ready; marks the client ready once
     * it may send and receive chat, and returns bytes to answer with, or null.
     */
    byte[] handshake(BenchClient client, String line);

    /** The answer to a line after the handshake that is not a benchmark message (PING), or null. */
    byte[] keepAlive(byte[] buffer, int from, int to);

    /** A chat message of {@code text} to everyone in the room. */
    byte[] say(String text);

    /** Asks the server to end the session. */
    byte[] quit();

    /** Whether a line (before the handshake ends) says the session is registered, for churn. */
    boolean isWelcome(String line);

    /** How many clients receive one message in a room of {@code clients}. */
    int recipients(int clients);

    String label();

    static Dialect chat() {
        return new Chat();
    }

    static Dialect irc(String operName, String operPassword) {
        return new Irc(operName, operPassword);
    }

    /** This server's protocol: the first line is the name; a message reaches everyone, the sender too. */
    record Chat() implements Dialect {
        private static final String WELCOME = "*** Welcome, ";

        @Override
        public byte[] hello(String name, boolean sender) {
            return (name + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] handshake(BenchClient client, String line) {
            if (isWelcome(line)) {
                client.ready();
            }
            return null;
        }

        @Override
        public byte[] keepAlive(byte[] buffer, int from, int to) {
            return null;
        }

        @Override
        public byte[] say(String text) {
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] quit() {
            return "/quit\n".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isWelcome(String line) {
            return line.contains(WELCOME);
        }

        @Override
        public int recipients(int clients) {
            return clients;
        }

        @Override
        public String label() {
            return "chat";
        }
    }

    /**
     * IRC: NICK and USER, then (after 001) OPER for senders when an operator block is given,
     * and JOIN #bench; ready when the server confirms the JOIN (and the OPER). A PRIVMSG to the
     * channel reaches everyone but the sender.
     */
    record Irc(String operName, String operPassword) implements Dialect {
        static final String CHANNEL = "#bench";

        @Override
        public byte[] hello(String name, boolean sender) {
            return ("NICK " + name + "\r\nUSER " + name + " 0 * :bench\r\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] handshake(BenchClient client, String line) {
            String[] words = line.split(" ", 4);
            if (words[0].equals("PING")) {
                return ("PONG " + line.substring(5) + "\r\n").getBytes(StandardCharsets.UTF_8);
            }
            if (words.length < 2) {
                return null;
            }
            switch (words[1]) {
                case "001" -> {
                    boolean oper = client.sender() && operName != null;
                    client.awaitingOper(oper);
                    // ngIRCd: operators may set +F, its "relaxed flood protection"; other servers ignore it.
                    String operLogin = oper ? "OPER " + operName + " " + operPassword + "\r\nMODE " + client.name()
                            + " +F\r\n" : "";
                    return (operLogin + "JOIN " + CHANNEL + "\r\n")
                            .getBytes(StandardCharsets.UTF_8);
                }
                case "381" -> client.awaitingOper(false);
                case "JOIN" -> {
                    if (words[0].startsWith(":" + client.name() + "!")) {
                        client.joined();
                    }
                }
                case "464", "491", "432", "433", "465" -> client.failed(line);
                default -> { }
            }
            if (client.hasJoined() && !client.isAwaitingOper()) {
                client.ready();
            }
            return null;
        }

        @Override
        public byte[] keepAlive(byte[] buffer, int from, int to) {
            if (to - from >= 4 && buffer[from] == 'P' && buffer[from + 1] == 'I' && buffer[from + 2] == 'N'
                    && buffer[from + 3] == 'G') {
                byte[] answer = new byte[to - from + 2];
                System.arraycopy(buffer, from, answer, 0, to - from);
                answer[1] = 'O';
                answer[to - from] = '\r';
                answer[to - from + 1] = '\n';
                return answer;
            }
            return null;
        }

        @Override
        public byte[] say(String text) {
            return ("PRIVMSG " + CHANNEL + " :" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] quit() {
            return "QUIT :bench\r\n".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isWelcome(String line) {
            String[] words = line.split(" ", 3);
            return words.length > 1 && words[1].equals("001");
        }

        @Override
        public int recipients(int clients) {
            return clients - 1;
        }

        @Override
        public String label() {
            return "irc";
        }
    }
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>CallScreen</name>
    <message>
        <source>Choose a name on the left to start calling.</source>
        <translation>Elige un nombre a la izquierda para empezar a llamar.</translation>
    </message>
    <message>
        <source>Get more names</source>
        <translation>Obtener más nombres</translation>
    </message>
    <message>
        <source>How did the call end?</source>
        <translation>¿Cómo terminó la llamada?</translation>
    </message>
    <message>
        <source>Notes for the campaign (optional)</source>
        <translation>Notas para la campaña (opcional)</translation>
    </message>
    <message>
        <source>Cancel correction (Esc)</source>
        <translation>Cancelar la corrección (Esc)</translation>
    </message>
    <message>
        <source>Save &amp;&amp; next</source>
        <translation>Guardar &amp;&amp; siguiente</translation>
    </message>
    <message>
        <source>Save this call and show the next name (Ctrl+Enter)</source>
        <translation>Guarda esta llamada y muestra el siguiente nombre (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Correct it (F2)</source>
        <translation>Corregirla (F2)</translation>
    </message>
    <message>
        <source>Reopen the call saved last and correct it</source>
        <translation>Vuelve a abrir la última llamada guardada para corregirla</translation>
    </message>
    <message>
        <source>Next name: %1, %2</source>
        <translation>Siguiente nombre: %1, %2</translation>
    </message>
    <message>
        <source>Correcting your call to %1 of %2 (%3). Saving replaces it; it still counts as one call.</source>
        <translation>Estás corrigiendo tu llamada a %1 del %2 (%3). Al guardar se reemplaza; sigue contando como una sola llamada.</translation>
    </message>
    <message>
        <source>Choose how the call ended first (for example Alt+C Contacted).</source>
        <translation>Primero elige cómo terminó la llamada (por ejemplo, Alt+C Contactado).</translation>
    </message>
    <message>
        <source>Choose a call-back time in the future.</source>
        <translation>Elige una hora futura para volver a llamar.</translation>
    </message>
    <message>
        <source>Put %1 on the do-not-call list? Nobody at this number is called again: %2.</source>
        <translation>¿Poner a %1 en la lista de no llamar? Nadie en este número volverá a recibir llamadas: %2.</translation>
    </message>
    <message>
        <source>The call-back promised to %1 is cancelled too.</source>
        <translation>También se cancela la llamada prometida a %1.</translation>
    </message>
    <message>
        <source>Do not call the whole household?</source>
        <translation>¿No llamar a todo el hogar?</translation>
    </message>
    <message>
        <source>Put on do-not-call</source>
        <translation>Poner en no llamar</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Volver</translation>
    </message>
</context>
<context>
    <name>CampaignsScreen</name>
    <message>
        <source>Choose a state</source>
        <translation>Elige un estado</translation>
    </message>
    <message>
        <source>Pick a campaign and a list. You get a short list of names that only you will receive, and the script leads you through each call.</source>
        <translation>Elige una campaña y una lista. Recibirás una lista corta de nombres que solo te llegan a ti, y el guion te guía en cada llamada.</translation>
    </message>
    <message>
        <source>&amp;Campaign</source>
        <translation>&amp;Campaña</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Campaña</translation>
    </message>
    <message>
        <source>Progress toward the goal</source>
        <translation>Avance hacia la meta</translation>
    </message>
    <message>
        <source>&amp;List</source>
        <translation>&amp;Lista</translation>
    </message>
    <message>
        <source>List: Enter gets its names</source>
        <translation>Lista: Enter obtiene sus nombres</translation>
    </message>
    <message>
        <source>Get names</source>
        <translation>Obtener nombres</translation>
    </message>
    <message>
        <source>Back to my list</source>
        <translation>Volver a mi lista</translation>
    </message>
    <message>
        <source>Getting campaigns from the hub… They appear here after the first sync.</source>
        <translation>Obteniendo las campañas del hub… Aparecen aquí después de la primera sincronización.</translation>
    </message>
    <message>
        <source>Getting your names…</source>
        <translation>Obteniendo tus nombres…</translation>
    </message>
    <message>
        <source>You can get more names in %1</source>
        <translation>Podrás obtener más nombres en %1</translation>
    </message>
    <message>
        <source>%1 of %2 calls made toward the goal · %3 by you</source>
        <translation>%1 de %2 llamadas hechas para la meta · %3 tuyas</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln number(s) left to call</source>
        <translation>
            <numerusform>%1 — queda %Ln número por llamar</numerusform>
            <numerusform>%1 — quedan %Ln números por llamar</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — everyone has been called</source>
        <translation>%1 — ya se llamó a todos</translation>
    </message>
</context>
<context>
    <name>ContactCard</name>
    <message>
        <source>Call</source>
        <translation>Llamar</translation>
    </message>
    <message>
        <source>Call with your phone app (Ctrl+D)</source>
        <translation>Llama con tu aplicación de teléfono (Ctrl+D)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy the number (Ctrl+Shift+C)</source>
        <translation>Copia el número (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Same household: %1</source>
        <translation>Mismo hogar: %1</translation>
    </message>
    <message>
        <source>%1 ext. %2</source>
        <translation>%1 ext. %2</translation>
    </message>
    <message>
        <source>Number %1 of %2</source>
        <translation>Número %1 de %2</translation>
    </message>
    <message>
        <source>cell</source>
        <translation>celular</translation>
    </message>
    <message>
        <source>home</source>
        <translation>casa</translation>
    </message>
    <message>
        <source>work</source>
        <translation>trabajo</translation>
    </message>
    <message>
        <source>Their local time: %1 — within calling hours (%2–%3)</source>
        <translation>Su hora local: %1 — dentro del horario de llamadas (%2–%3)</translation>
    </message>
    <message>
        <source>Their local time: %1 — OUTSIDE calling hours (%2–%3)</source>
        <translation>Su hora local: %1 — FUERA del horario de llamadas (%2–%3)</translation>
    </message>
    <message>
        <source>Outside their calling hours: you&apos;ll be asked first (Ctrl+D)</source>
        <translation>Fuera de su horario de llamadas: se te preguntará antes (Ctrl+D)</translation>
    </message>
    <message>
        <source>First call to this person.</source>
        <translation>Primera llamada a esta persona.</translation>
    </message>
    <message>
        <source>Earlier calls: %1</source>
        <translation>Llamadas anteriores: %1</translation>
    </message>
    <message>
        <source> — last %1 (%2)</source>
        <translation> — la última %1 (%2)</translation>
    </message>
    <message>
        <source>It is %1 for %2, outside the calling hours (%3–%4).

Call anyway?</source>
        <translation>Para %2 son las %1, fuera del horario de llamadas (%3–%4).

¿Llamar de todos modos?</translation>
    </message>
    <message>
        <source>No phone app found — number copied</source>
        <translation>No se encontró una aplicación de teléfono — número copiado</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>Outside calling hours</source>
        <translation>Fuera del horario de llamadas</translation>
    </message>
</context>
<context>
    <name>ContactDelegate</name>
    <message numerus="yes">
        <source>  ·  tried %n×</source>
        <translation>
            <numerusform>  ·  %n intento</numerusform>
            <numerusform>  ·  %n intentos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DispositionBar</name>
    <message>
        <source>&amp;Contacted</source>
        <translation>&amp;Contactado</translation>
    </message>
    <message>
        <source>&amp;No answer</source>
        <translation>&amp;No contestó</translation>
    </message>
    <message>
        <source>&amp;Busy</source>
        <translation>&amp;Ocupado</translation>
    </message>
    <message>
        <source>&amp;Left message</source>
        <translation>Dejé &amp;mensaje</translation>
    </message>
    <message>
        <source>Call bac&amp;k</source>
        <translation>&amp;Volver a llamar</translation>
    </message>
    <message>
        <source>&amp;Refused</source>
        <translation>&amp;Rechazó</translation>
    </message>
    <message>
        <source>&amp;Wrong number</source>
        <translation>Número &amp;equivocado</translation>
    </message>
    <message>
        <source>D&amp;isconnected</source>
        <translation>&amp;Desconectado</translation>
    </message>
    <message>
        <source>Lan&amp;guage barrier</source>
        <translation>Barrera de &amp;idioma</translation>
    </message>
    <message>
        <source>D&amp;eceased</source>
        <translation>&amp;Falleció</translation>
    </message>
    <message>
        <source>&amp;Do not call</source>
        <translation>No &amp;llamar</translation>
    </message>
    <message>
        <source>How the call ended (Alt+letter)</source>
        <translation>Cómo terminó la llamada (Alt+letra)</translation>
    </message>
    <message>
        <source>Alt+%1</source>
        <translation>Alt+%1</translation>
    </message>
    <message>
        <source>Call back a&amp;t (their time):</source>
        <translation>&amp;Hora para volver a llamar (su hora):</translation>
    </message>
    <message>
        <source>Call back at, their time</source>
        <translation>Hora para volver a llamar, en su hora</translation>
    </message>
    <message>
        <source>= %1 your time</source>
        <translation>= %1 en tu hora</translation>
    </message>
    <message>
        <source> · outside their calling hours (%1–%2)</source>
        <translation> · fuera de su horario de llamadas (%1–%2)</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Message to organizers</source>
        <translation>Mensaje a los organizadores</translation>
    </message>
    <message>
        <source>Tell the organizers what you hear on the phone, or what would help you. It is sent with the next sync, even if you are offline now.</source>
        <translation>Cuéntales a los organizadores lo que escuchas en las llamadas o lo que te ayudaría. Se envía con la próxima sincronización, aunque ahora no tengas conexión.</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Enviar (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Please write a message first.</source>
        <translation>Primero escribe un mensaje.</translation>
    </message>
    <message>
        <source>The message is too long (%1 characters; at most %2).</source>
        <translation>El mensaje es demasiado largo (%1 caracteres; máximo %2).</translation>
    </message>
</context>
<context>
    <name>HeardLanguagePicker</name>
    <message>
        <source>They spoke:</source>
        <translation>Habló en:</translation>
    </message>
    <message>
        <source>The language the person spoke, so someone who speaks it can call back</source>
        <translation>El idioma en que habló la persona, para que alguien que lo hable pueda volver a llamar</translation>
    </message>
    <message>
        <source>Not sure (nobody follows up)</source>
        <translation>No estoy seguro (nadie vuelve a llamar)</translation>
    </message>
</context>
<context>
    <name>LanguagesDialog</name>
    <message>
        <source>My languages</source>
        <translation>Mis idiomas</translation>
    </message>
    <message>
        <source>Which languages can you make calls in? When a voter could not be helped because of their language, the call goes to a volunteer who speaks it.</source>
        <translation>¿En qué idiomas puedes hacer llamadas? Cuando no se pudo atender a un votante por su idioma, la llamada pasa a un voluntario que lo hable.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Opening Phonebank…</source>
        <translation>Abriendo Phonebank…</translation>
    </message>
    <message>
        <source>This computer has no keyring: you&apos;ll be asked for your password next time you open Phonebank.</source>
        <translation>Esta computadora no tiene llavero de contraseñas: se te pedirá tu contraseña la próxima vez que abras Phonebank.</translation>
    </message>
    <message>
        <source>This version of Phonebank is too old for the hub. Please upgrade the app — your unsent results are kept safe until then.</source>
        <translation>Esta versión de Phonebank es demasiado antigua para el hub. Actualiza la aplicación — tus resultados sin enviar se guardan a salvo hasta entonces.</translation>
    </message>
    <message>
        <source>Please sign in again. Nothing you recorded is lost.</source>
        <translation>Vuelve a iniciar sesión. No se perdió nada de lo que registraste.</translation>
    </message>
    <message>
        <source>&amp;Phonebank</source>
        <translation>&amp;Phonebank</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Choose a state…</source>
        <translation>Elegir un estado…</translation>
    </message>
    <message>
        <source>Message to organizers…</source>
        <translation>Mensaje a los organizadores…</translation>
    </message>
    <message>
        <source>My languages…</source>
        <translation>Mis idiomas…</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>Cerrar sesión…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Phonebank will be in %1 the next time you open it.</source>
        <translation>Phonebank estará en %1 la próxima vez que lo abras.</translation>
    </message>
    <message>
        <source>Results not sent yet</source>
        <translation>Resultados aún sin enviar</translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s)</source>
        <translation>
            <numerusform>%Ln resultado</numerusform>
            <numerusform>%Ln resultados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) to the organizers</source>
        <translation>
            <numerusform>%Ln mensaje a los organizadores</numerusform>
            <numerusform>%Ln mensajes a los organizadores</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 has not reached the hub yet. If you sign out now it is deleted from this computer and lost.</source>
        <translation>%1 todavía no llegó al hub. Si cierras sesión ahora, se borra de esta computadora y se pierde.</translation>
    </message>
    <message>
        <source>%1 have not reached the hub yet. If you sign out now they are deleted from this computer and lost.</source>
        <translation>%1 todavía no llegaron al hub. Si cierras sesión ahora, se borran de esta computadora y se pierden.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> y </translation>
    </message>
    <message>
        <source>Sign out and lose them</source>
        <translation>Cerrar sesión y perderlos</translation>
    </message>
    <message>
        <source>Sign out and lose it</source>
        <translation>Cerrar sesión y perderlo</translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s) have not reached the hub yet. If you sign out now they are deleted from this computer and lost.</source>
        <translation>
            <numerusform>%Ln resultado todavía no llegó al hub. Si cierras sesión ahora, se borra de esta computadora y se pierde.</numerusform>
            <numerusform>%Ln resultados todavía no llegaron al hub. Si cierras sesión ahora, se borran de esta computadora y se pierden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sign out and lose %Ln result(s)</source>
        <translation>
            <numerusform>Cerrar sesión y perder %Ln resultado</numerusform>
            <numerusform>Cerrar sesión y perder %Ln resultados</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect to the internet and wait for the sync instead?</source>
        <translation>¿Prefieres conectarte a internet y esperar la sincronización?</translation>
    </message>
    <message>
        <source>Keep them</source>
        <translation>Conservarlos</translation>
    </message>
    <message>
        <source>A call is in progress</source>
        <translation>Hay una llamada en curso</translation>
    </message>
    <message>
        <source>The call to %1 is not saved yet.</source>
        <translation>La llamada a %1 todavía no está guardada.</translation>
    </message>
    <message>
        <source>Keep it as a draft to finish it when Phonebank opens again?</source>
        <translation>¿Guardarla como borrador para terminarla cuando vuelvas a abrir Phonebank?</translation>
    </message>
    <message>
        <source>Keep as draft</source>
        <translation>Guardar como borrador</translation>
    </message>
    <message>
        <source>Discard it</source>
        <translation>Descartarla</translation>
    </message>
</context>
<context>
    <name>MyListPanel</name>
    <message>
        <source>My list</source>
        <translation>Mi lista</translation>
    </message>
    <message>
        <source>My list: Enter opens the chosen name</source>
        <translation>Mi lista: Enter abre el nombre elegido</translation>
    </message>
    <message>
        <source>Release unused names</source>
        <translation>Devolver los nombres sin usar</translation>
    </message>
    <message>
        <source>Give the names you have not called back to the campaign</source>
        <translation>Devuelve a la campaña los nombres a los que no has llamado</translation>
    </message>
    <message>
        <source>Choose a state…</source>
        <translation>Elegir un estado…</translation>
    </message>
    <message>
        <source>No names yet. Choose a state to get a list.</source>
        <translation>Todavía no tienes nombres. Elige un estado para obtener una lista.</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 of %n name(s) left to call</source>
        <translation>
            <numerusform>%1 · %2 de %n nombre por llamar</numerusform>
            <numerusform>%1 · %2 de %n nombres por llamar</numerusform>
        </translation>
    </message>
    <message>
        <source>Everyone on this list has been called.</source>
        <translation>Ya se llamó a todos los de esta lista.</translation>
    </message>
    <message>
        <source>Your hold on these names has ended. Results you record are still kept.</source>
        <translation>Tu reserva de estos nombres terminó. Los resultados que registres se siguen guardando.</translation>
    </message>
    <message>
        <source>Held for you for %1</source>
        <translation>Reservados para ti por %1</translation>
    </message>
    <message>
        <source>More names in %1</source>
        <translation>Más nombres en %1</translation>
    </message>
    <message>
        <source>You can get more names now.</source>
        <translation>Ya puedes obtener más nombres.</translation>
    </message>
</context>
<context>
    <name>ScriptLanguageSwitch</name>
    <message>
        <source>Script: %1 (%2)</source>
        <translation>Guion: %1 (%2)</translation>
    </message>
    <message>
        <source>Read the script in %1 (%2); the answers are kept</source>
        <translation>Leer el guion en %1 (%2); las respuestas se conservan</translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message>
        <source>Answers (keys 1–9)</source>
        <translation>Respuestas (teclas 1–9)</translation>
    </message>
    <message>
        <source>← Back</source>
        <translation>← Atrás</translation>
    </message>
    <message>
        <source>Previous question (Alt+Left, or Backspace)</source>
        <translation>Pregunta anterior (Alt+Izquierda o Retroceso)</translation>
    </message>
    <message numerus="yes">
        <source>Question %n</source>
        <translation>
            <numerusform>Pregunta %n</numerusform>
            <numerusform>Pregunta %n</numerusform>
        </translation>
    </message>
    <message>
        <source>This campaign has no script yet.</source>
        <translation>Esta campaña todavía no tiene guion.</translation>
    </message>
    <message>
        <source>Script finished</source>
        <translation>Guion terminado</translation>
    </message>
    <message>
        <source>That was the last question.</source>
        <translation>Esa fue la última pregunta.</translation>
    </message>
    <message>
        <source>Now choose how the call ended below.</source>
        <translation>Ahora elige abajo cómo terminó la llamada.</translation>
    </message>
    <message>
        <source>Your earlier answer is marked · its key or Space keeps it</source>
        <translation>Tu respuesta anterior está marcada · su tecla o Espacio la conserva</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Type what they said, then press Enter</source>
        <translation>Escribe lo que te dijeron y presiona Enter</translation>
    </message>
    <message>
        <source>Enter: next question (empty skips)</source>
        <translation>Enter: siguiente pregunta (vacío la salta)</translation>
    </message>
    <message>
        <source>Done ⏎</source>
        <translation>Listo ⏎</translation>
    </message>
    <message>
        <source>1–9: tick answers · Enter: next question</source>
        <translation>1–9: marca respuestas · Enter: siguiente pregunta</translation>
    </message>
    <message>
        <source>Press 1–9 to answer</source>
        <translation>Presiona 1–9 para responder</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to Phonebank</source>
        <translation>Ingresa a Phonebank</translation>
    </message>
    <message>
        <source>Use the account your campaign&apos;s organizers gave you. You stay signed in on this computer.</source>
        <translation>Usa la cuenta que te dieron los organizadores de tu campaña. Tu sesión queda abierta en esta computadora.</translation>
    </message>
    <message>
        <source>&amp;Hub address</source>
        <translation>Dirección del &amp;hub</translation>
    </message>
    <message>
        <source>&amp;Email</source>
        <translation>Co&amp;rreo electrónico</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>the hub address</source>
        <translation>la dirección del hub</translation>
    </message>
    <message>
        <source>your email</source>
        <translation>tu correo electrónico</translation>
    </message>
    <message>
        <source>your password</source>
        <translation>tu contraseña</translation>
    </message>
    <message>
        <source>Please enter %1.</source>
        <translation>Escribe %1.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> y </translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
</context>
<context>
    <name>StatusWidgets</name>
    <message>
        <source>Sync now (F5)</source>
        <translation>Sincronizar ahora (F5)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Send results and fetch changes now (F5)</source>
        <translation>Envía los resultados y trae los cambios ahora (F5)</translation>
    </message>
    <message>
        <source>All results sent</source>
        <translation>Todos los resultados enviados</translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s) waiting to send</source>
        <translation>
            <numerusform>%Ln resultado por enviar</numerusform>
            <numerusform>%Ln resultados por enviar</numerusform>
        </translation>
    </message>
    <message>
        <source>No campaign yet</source>
        <translation>Todavía no hay campaña</translation>
    </message>
    <message numerus="yes">
        <source>The hub refused %Ln result(s). They are kept on this laptop and sent again when Phonebank next starts.</source>
        <translation>
            <numerusform>El hub rechazó %Ln resultado. Se guarda en esta computadora y se enviará de nuevo cuando Phonebank vuelva a abrirse.</numerusform>
            <numerusform>El hub rechazó %Ln resultados. Se guardan en esta computadora y se enviarán de nuevo cuando Phonebank vuelva a abrirse.</numerusform>
        </translation>
    </message>
    <message>
        <source>Latest reason: %1</source>
        <translation>Último motivo: %1</translation>
    </message>
    <message>
        <source>%1 of %2 calls</source>
        <translation>%1 de %2 llamadas</translation>
    </message>
    <message>
        <source>Calls made in the campaign toward its goal (%1 by you)</source>
        <translation>Llamadas hechas en la campaña para su meta (%1 tuyas)</translation>
    </message>
    <message>
        <source>● Syncing…</source>
        <translation>● Sincronizando…</translation>
    </message>
    <message>
        <source>○ Not synced yet</source>
        <translation>○ Todavía sin sincronizar</translation>
    </message>
    <message>
        <source>● Online · synced %1</source>
        <translation>● En línea · sincronizado %1</translation>
    </message>
    <message>
        <source>● Offline · last sync %1</source>
        <translation>● Sin conexión · última sincronización %1</translation>
    </message>
</context>
<context>
    <name>WorkScreen</name>
    <message>
        <source>Reopened the call to %1 left unfinished at %2</source>
        <translation>Se volvió a abrir la llamada a %1 que quedó sin terminar a las %2</translation>
    </message>
    <message>
        <source>You have no names right now. Choose a state to get a list.</source>
        <translation>Ahora no tienes nombres. Elige un estado para obtener una lista.</translation>
    </message>
    <message>
        <source>%1 is now on the do-not-call list; skipped.</source>
        <translation>%1 ahora está en la lista de no llamar; se omitió.</translation>
    </message>
    <message>
        <source>You&apos;ve called everyone on this list. Thank you!</source>
        <translation>Llamaste a todos los de esta lista. ¡Gracias!</translation>
    </message>
    <message numerus="yes">
        <source>Everyone has been called for now. %n person(s) who did not answer can be tried again from %1 (your list is held until %2).</source>
        <translation>
            <numerusform>Por ahora ya se llamó a todos. %n persona que no contestó se puede volver a intentar desde las %1 (tu lista está reservada hasta %2).</numerusform>
            <numerusform>Por ahora ya se llamó a todos. %n personas que no contestaron se pueden volver a intentar desde las %1 (tu lista está reservada hasta %2).</numerusform>
        </translation>
    </message>
    <message>
        <source>call back %1 their time (%2 yours)</source>
        <translation>volver a llamar %1 su hora (%2 la tuya)</translation>
    </message>
    <message>
        <source>✓ Corrected %1 — %2 at %3</source>
        <translation>✓ Corregido: %1 — %2 a las %3</translation>
    </message>
    <message>
        <source>✓ Saved %1 — %2 at %3</source>
        <translation>✓ Guardado: %1 — %2 a las %3</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No se guardó: %1</translation>
    </message>
    <message>
        <source>Release unused names</source>
        <translation>Devolver los nombres sin usar</translation>
    </message>
    <message numerus="yes">
        <source>Give the %n name(s) you have not called back to the campaign, so other volunteers can call them? Results you recorded are kept.</source>
        <translation>
            <numerusform>¿Devolver a la campaña el nombre (%n) al que no has llamado, para que otros voluntarios puedan llamarlo? Los resultados que registraste se conservan.</numerusform>
            <numerusform>¿Devolver a la campaña los %n nombres a los que no has llamado, para que otros voluntarios puedan llamarlos? Los resultados que registraste se conservan.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong; the details were written to the log file.</source>
        <translation>Algo salió mal; los detalles quedaron en el archivo de registro.</translation>
    </message>
    <message>
        <source>Damaged data file</source>
        <translation>Archivo de datos dañado</translation>
    </message>
    <message>
        <source>%1

Move the damaged file aside and start with an empty one? It is kept next to the original, so nothing is deleted.</source>
        <translation>%1

¿Apartar el archivo dañado y empezar con uno vacío? Se guarda junto al original, así que no se borra nada.</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>Starting the demo hub…</source>
        <translation>Iniciando el hub de demostración…</translation>
    </message>
    <message>
        <source>Demo: a practice hub on this computer with made-up people. Nothing you record here reaches a real campaign.</source>
        <translation>Demostración: un hub de práctica en esta computadora con personas inventadas. Nada de lo que registres aquí llega a una campaña real.</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>To call</source>
        <translation>Por llamar</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Volver a llamar</translation>
    </message>
    <message>
        <source>Do not call</source>
        <translation>No llamar</translation>
    </message>
    <message>
        <source>contacted</source>
        <translation>contactado</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>no contestó</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>ocupado</translation>
    </message>
    <message>
        <source>left a message</source>
        <translation>dejé un mensaje</translation>
    </message>
    <message>
        <source>wrong number</source>
        <translation>número equivocado</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>desconectado</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>rechazó</translation>
    </message>
    <message>
        <source>deceased</source>
        <translation>falleció</translation>
    </message>
    <message>
        <source>do not call</source>
        <translation>no llamar</translation>
    </message>
    <message>
        <source>call back</source>
        <translation>volver a llamar</translation>
    </message>
    <message>
        <source>language barrier</source>
        <translation>barrera de idioma</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n segundo</numerusform>
            <numerusform>%n segundos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hora</numerusform>
            <numerusform>%n horas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You have had %n list(s) from %1 in the last hour, the most its organizers allow. You can ask for more names in %2.</source>
        <translation>
            <numerusform>Recibiste %n lista de %1 en la última hora, el máximo que permiten sus organizadores. Puedes pedir más nombres en %2.</numerusform>
            <numerusform>Recibiste %n listas de %1 en la última hora, el máximo que permiten sus organizadores. Puedes pedir más nombres en %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You have had %n list(s) from %1 in the last 24 hours, the most its organizers allow. You can ask for more names in %2.</source>
        <translation>
            <numerusform>Recibiste %n lista de %1 en las últimas 24 horas, el máximo que permiten sus organizadores. Puedes pedir más nombres en %2.</numerusform>
            <numerusform>Recibiste %n listas de %1 en las últimas 24 horas, el máximo que permiten sus organizadores. Puedes pedir más nombres en %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) sent</source>
        <translation>
            <numerusform>%n resultado enviado</numerusform>
            <numerusform>%n resultados enviados</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>Up to date.</source>
        <translation>Todo al día.</translation>
    </message>
    <message numerus="yes">
        <source>%n name(s) reserved for you.</source>
        <translation>
            <numerusform>%n nombre reservado para ti.</numerusform>
            <numerusform>%n nombres reservados para ti.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not signed in, or the session has expired. Please sign in again.</source>
        <translation>No has iniciado sesión o la sesión expiró. Vuelve a iniciar sesión.</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>Correo electrónico o contraseña incorrectos.</translation>
    </message>
    <message>
        <source>This account has been deactivated by an organizer. Ask your campaign&apos;s organizers if you think this is a mistake.</source>
        <translation>Un organizador desactivó esta cuenta. Si crees que es un error, pregunta a los organizadores de tu campaña.</translation>
    </message>
    <message>
        <source>Organizers only.</source>
        <translation>Solo para organizadores.</translation>
    </message>
    <message>
        <source>There is no call list with id %1.</source>
        <translation>No hay ninguna lista de llamadas con id %1.</translation>
    </message>
    <message>
        <source>You have no reservation with id %1.</source>
        <translation>No tienes ninguna reserva con id %1.</translation>
    </message>
    <message>
        <source>No script with id %1.</source>
        <translation>No hay ningún guion con id %1.</translation>
    </message>
    <message>
        <source>There is no campaign with id %1.</source>
        <translation>No hay ninguna campaña con id %1.</translation>
    </message>
    <message>
        <source>Everyone on %1 has been called: this list is finished. Thank you! Choose another list.</source>
        <translation>Ya se llamó a todos los de %1: esta lista está terminada. ¡Gracias! Elige otra lista.</translation>
    </message>
    <message>
        <source>It is outside calling hours (%1–%2, the contacts&apos; own time) for everyone left on %3: nobody can be called right now. Try again later or choose another list.</source>
        <translation>Está fuera del horario de llamadas (%1–%2, hora local de los contactos) para todos los que quedan en %3: ahora no se puede llamar a nadie. Vuelve a intentarlo más tarde o elige otra lista.</translation>
    </message>
    <message>
        <source>Nobody on %1 can be called right now: the names left are reserved by other volunteers, waiting to be tried again, or waiting for someone who speaks their language. Try again later or choose another list.</source>
        <translation>Ahora no se puede llamar a nadie de %1: los nombres que quedan están reservados por otros voluntarios, esperando otro intento o esperando a alguien que hable su idioma. Vuelve a intentarlo más tarde o elige otra lista.</translation>
    </message>
    <message>
        <source>The organizers have paused %1: no new names are handed out for now. Lists you already have can still be called.</source>
        <translation>Los organizadores pausaron %1: por ahora no se reparten nombres nuevos. Todavía puedes llamar a las listas que ya tienes.</translation>
    </message>
    <message>
        <source>%1 has ended: its organizers archived it. Choose another campaign.</source>
        <translation>%1 terminó: sus organizadores la archivaron. Elige otra campaña.</translation>
    </message>
    <message>
        <source>The organizers have closed the list %1: no more names are handed out from it. Choose another list.</source>
        <translation>Los organizadores cerraron la lista %1: ya no se reparten más nombres de ella. Elige otra lista.</translation>
    </message>
    <message>
        <source>You can ask for more names in %1, or as soon as you finish your current list.</source>
        <translation>Puedes pedir más nombres en %1, o en cuanto termines tu lista actual.</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed sign-in attempts. Please wait %n second(s) and try again (at %1 UTC).</source>
        <translation>
            <numerusform>Demasiados intentos fallidos de inicio de sesión. Espera %n segundo y vuelve a intentarlo (a las %1 UTC).</numerusform>
            <numerusform>Demasiados intentos fallidos de inicio de sesión. Espera %n segundos y vuelve a intentarlo (a las %1 UTC).</numerusform>
        </translation>
    </message>
    <message>
        <source>The request is larger than the hub accepts (%1 MB). Send results in smaller batches.</source>
        <translation>La solicitud es más grande de lo que acepta el hub (%1 MB). Envía los resultados en lotes más pequeños.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 must be an integer, got %2</source>
        <translation>%1 debe ser un número entero, se recibió %2</translation>
    </message>
    <message>
        <source>This version of Phonebank is too old for the hub. Please upgrade the app; your unsent results are kept.</source>
        <translation>Esta versión de Phonebank es demasiado antigua para el hub. Actualiza la aplicación; tus resultados sin enviar se conservan.</translation>
    </message>
    <message>
        <source>Internal error on the hub.</source>
        <translation>Error interno en el hub.</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result (unknown contact %1)</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado (contacto desconocido %1)</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result (unknown reservation %1)</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado (reserva desconocida %1)</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result (reservation %1 belongs to another volunteer)</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado (la reserva %1 es de otro voluntario)</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result (contact %1 was never held in reservation %2)</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado (el contacto %1 nunca estuvo en la reserva %2)</translation>
    </message>
    <message>
        <source>not found, or not yours: the contact, list or fence of this result (fence %1 does not match reservation %2)</source>
        <translation>no encontrado, o no es tuyo: el contacto, la lista o la marca de este resultado (la marca %1 no corresponde a la reserva %2)</translation>
    </message>
    <message>
        <source>start or end time out of range</source>
        <translation>hora de inicio o de fin fuera de rango</translation>
    </message>
    <message>
        <source>the call ends more than a day in the future</source>
        <translation>la llamada termina más de un día en el futuro</translation>
    </message>
    <message>
        <source>the call ends before it starts</source>
        <translation>la llamada termina antes de empezar</translation>
    </message>
    <message>
        <source>the call lasts more than %1 hours</source>
        <translation>la llamada dura más de %1 horas</translation>
    </message>
    <message>
        <source>script version %1 is unknown in this campaign</source>
        <translation>la versión %1 del guion no existe en esta campaña</translation>
    </message>
    <message>
        <source>answers given but this campaign has no script</source>
        <translation>hay respuestas, pero esta campaña no tiene guion</translation>
    </message>
    <message>
        <source>the call was read in %1, a language script version %2 does not have (it has %3)</source>
        <translation>la llamada se leyó en %1, un idioma que la versión %2 del guion no tiene (tiene %3)</translation>
    </message>
    <message>
        <source>a result cannot correct itself</source>
        <translation>un resultado no puede corregirse a sí mismo</translation>
    </message>
    <message>
        <source>corrects result %1 of another volunteer</source>
        <translation>corrige el resultado %1 de otro voluntario</translation>
    </message>
    <message>
        <source>corrects result %1, which is about another contact</source>
        <translation>corrige el resultado %1, que es de otro contacto</translation>
    </message>
    <message>
        <source>a contacted call of under %1 seconds, past %2 such calls in an hour from this volunteer (held for an organizer)</source>
        <translation>una llamada contestada de menos de %1 segundos, después de %2 llamadas así en una hora de este voluntario (retenida para un organizador)</translation>
    </message>
    <message>
        <source>a different result with this id was stored before; the original is kept</source>
        <translation>ya se guardó otro resultado con este id; se conserva el original</translation>
    </message>
    <message>
        <source>answers name questions the script does not have: %1 (script version %2)</source>
        <translation>las respuestas nombran preguntas que el guion no tiene: %1 (versión %2 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is not text (script version %2)</source>
        <translation>la respuesta a %1 no es texto (versión %2 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is not a list of options (script version %2)</source>
        <translation>la respuesta a %1 no es una lista de opciones (versión %2 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 has %2, which is not one of its options (script version %3)</source>
        <translation>la respuesta a %1 tiene %2, que no es una de sus opciones (versión %3 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is %2, not a whole number (script version %3)</source>
        <translation>la respuesta a %1 es %2, no un número entero (versión %3 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is %2, outside %3..%4 (script version %5)</source>
        <translation>la respuesta a %1 es %2, fuera de %3..%4 (versión %5 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is %2, not yes or no (script version %3)</source>
        <translation>la respuesta a %1 es %2, no sí o no (versión %3 del guion)</translation>
    </message>
    <message>
        <source>the answer to %1 is %2, which is not one of its options (script version %3)</source>
        <translation>la respuesta a %1 es %2, que no es una de sus opciones (versión %3 del guion)</translation>
    </message>
    <message>
        <source>answers to questions the earlier answers skip (off the script&apos;s branch): %1 (script version %2)</source>
        <translation>respuestas a preguntas que las respuestas anteriores saltan (fuera de la rama del guion): %1 (versión %2 del guion)</translation>
    </message>
    <message>
        <source>Cannot reach the hub at %1.</source>
        <translation>No se puede conectar con el hub en %1.</translation>
    </message>
    <message>
        <source>The hub at %1 did not answer in time.</source>
        <translation>El hub en %1 no respondió a tiempo.</translation>
    </message>
    <message>
        <source>The hub at %1 does not use a secure (https) connection. If your organizer gave you an http:// address, type it in full: %2</source>
        <translation>El hub en %1 no usa una conexión segura (https). Si tu organizador te dio una dirección http://, escríbela completa: %2</translation>
    </message>
    <message>
        <source>The hub at %1 did not present a valid certificate.</source>
        <translation>El hub en %1 no presentó un certificado válido.</translation>
    </message>
    <message>
        <source>The hub sent an unreadable answer (HTTP %1); is the address really a Phonebank hub?</source>
        <translation>El hub envió una respuesta ilegible (HTTP %1); ¿seguro que la dirección es de un hub de Phonebank?</translation>
    </message>
    <message>
        <source>The hub&apos;s answer did not match what this app expects (%1: %2). The hub may be a different version.</source>
        <translation>La respuesta del hub no coincide con lo que espera esta aplicación (%1: %2). Puede que el hub sea de otra versión.</translation>
    </message>
    <message>
        <source>The hub at %1 had a problem (HTTP %2).</source>
        <translation>El hub en %1 tuvo un problema (HTTP %2).</translation>
    </message>
    <message>
        <source>Please enter the hub address.</source>
        <translation>Ingresa la dirección del hub.</translation>
    </message>
    <message>
        <source>%1 is not a hub address (e.g. https://hub.example.org).</source>
        <translation>%1 no es una dirección de hub (por ejemplo, https://hub.example.org).</translation>
    </message>
    <message>
        <source>%1 has a bad port number.</source>
        <translation>%1 tiene un número de puerto incorrecto.</translation>
    </message>
    <message>
        <source>Please enter the email address you were registered with.</source>
        <translation>Ingresa el correo electrónico con el que te registraron.</translation>
    </message>
    <message>
        <source>Please enter your password.</source>
        <translation>Ingresa tu contraseña.</translation>
    </message>
    <message numerus="yes">
        <source>This laptop still has %n unsent result(s) for %1. Sign in as %1 so they can be sent first.</source>
        <translation>
            <numerusform>Esta computadora todavía tiene %n resultado sin enviar de %1. Inicia sesión como %1 para que se envíe primero.</numerusform>
            <numerusform>Esta computadora todavía tiene %n resultados sin enviar de %1. Inicia sesión como %1 para que se envíen primero.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Demasiados intentos. Vuelve a intentarlo en %n minuto.</numerusform>
            <numerusform>Demasiados intentos. Vuelve a intentarlo en %n minutos.</numerusform>
        </translation>
    </message>
    <message>
        <source>This version of Phonebank is too old for the hub. Please upgrade the app.</source>
        <translation>Esta versión de Phonebank es demasiado antigua para el hub. Actualiza la aplicación.</translation>
    </message>
    <message>
        <source>Check the address and your connection.</source>
        <translation>Revisa la dirección y tu conexión.</translation>
    </message>
    <message>
        <source>Please check the email address and password.</source>
        <translation>Revisa el correo electrónico y la contraseña.</translation>
    </message>
    <message>
        <source>Please sign in first.</source>
        <translation>Primero inicia sesión.</translation>
    </message>
    <message>
        <source>Please sign in again.</source>
        <translation>Vuelve a iniciar sesión.</translation>
    </message>
    <message>
        <source>Please upgrade Phonebank to get more names.</source>
        <translation>Actualiza Phonebank para obtener más nombres.</translation>
    </message>
    <message>
        <source>You&apos;re offline: the app will get names at the next sync.</source>
        <translation>No tienes conexión: la aplicación obtendrá nombres en la próxima sincronización.</translation>
    </message>
    <message>
        <source>The app will try to get names again at the next sync.</source>
        <translation>La aplicación volverá a intentar obtener nombres en la próxima sincronización.</translation>
    </message>
    <message numerus="yes">
        <source>You can get more names in %n second(s).</source>
        <translation>
            <numerusform>Puedes obtener más nombres en %n segundo.</numerusform>
            <numerusform>Puedes obtener más nombres en %n segundos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You can get more names in %n minute(s).</source>
        <translation>
            <numerusform>Puedes obtener más nombres en %n minuto.</numerusform>
            <numerusform>Puedes obtener más nombres en %n minutos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Everyone on this list has been called or is taken.</source>
        <translation>Ya se llamó a todos los de esta lista o ya están tomados.</translation>
    </message>
    <message>
        <source>The hub no longer has that list.</source>
        <translation>El hub ya no tiene esa lista.</translation>
    </message>
    <message>
        <source>The hub refused:</source>
        <translation>El hub lo rechazó:</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>No has iniciado sesión.</translation>
    </message>
    <message numerus="yes">
        <source>The hub&apos;s answer was not understood (%n problem(s)).</source>
        <translation>
            <numerusform>No se entendió la respuesta del hub (%n problema).</numerusform>
            <numerusform>No se entendió la respuesta del hub (%n problemas).</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync failed unexpectedly (%1); it will be retried.</source>
        <translation>La sincronización falló de forma inesperada (%1); se volverá a intentar.</translation>
    </message>
    <message>
        <source>The hub acknowledged none of the results sent.</source>
        <translation>El hub no confirmó ninguno de los resultados enviados.</translation>
    </message>
    <message>
        <source>This result cannot be sent: %1</source>
        <translation>Este resultado no se puede enviar: %1</translation>
    </message>
    <message>
        <source>That contact is no longer on this laptop.</source>
        <translation>Ese contacto ya no está en esta computadora.</translation>
    </message>
    <message>
        <source>That contact is no longer on this laptop; the result was not saved.</source>
        <translation>Ese contacto ya no está en esta computadora; el resultado no se guardó.</translation>
    </message>
    <message>
        <source>That contact&apos;s list is no longer on this laptop.</source>
        <translation>La lista de ese contacto ya no está en esta computadora.</translation>
    </message>
    <message>
        <source>Unknown call outcome %1.</source>
        <translation>Resultado de llamada desconocido: %1.</translation>
    </message>
    <message>
        <source>%1 must carry a time zone.</source>
        <translation>%1 debe incluir una zona horaria.</translation>
    </message>
    <message>
        <source>Please choose when to call back.</source>
        <translation>Elige cuándo volver a llamar.</translation>
    </message>
    <message>
        <source>The call-back time must be in the future.</source>
        <translation>La hora para volver a llamar debe ser en el futuro.</translation>
    </message>
    <message numerus="yes">
        <source>Notes are too long (%n character(s); %1 max).</source>
        <translation>
            <numerusform>Las notas son demasiado largas (%n carácter; máximo %1).</numerusform>
            <numerusform>Las notas son demasiado largas (%n caracteres; máximo %1).</numerusform>
        </translation>
    </message>
    <message>
        <source>The answer to %1 is not text, a number or a list.</source>
        <translation>La respuesta a %1 no es un texto, un número ni una lista.</translation>
    </message>
    <message>
        <source>More than %1 answers in one call.</source>
        <translation>Más de %1 respuestas en una sola llamada.</translation>
    </message>
    <message>
        <source>Question id %1... is longer than %2 characters.</source>
        <translation>El id de pregunta %1... tiene más de %2 caracteres.</translation>
    </message>
    <message>
        <source>The answer to %1 is longer than %2 characters.</source>
        <translation>La respuesta a %1 tiene más de %2 caracteres.</translation>
    </message>
    <message>
        <source>The answer to %1 has more than %2 choices.</source>
        <translation>La respuesta a %1 tiene más de %2 opciones.</translation>
    </message>
    <message>
        <source>The script has no question %1.</source>
        <translation>El guion no tiene la pregunta %1.</translation>
    </message>
    <message>
        <source>Question %1 takes a list of answers.</source>
        <translation>La pregunta %1 lleva una lista de respuestas.</translation>
    </message>
    <message>
        <source>The result could NOT be saved (%1). Please keep your notes and try again; if this repeats, check the disk space.</source>
        <translation>El resultado NO se pudo guardar (%1). Conserva tus notas y vuelve a intentarlo; si se repite, revisa el espacio en disco.</translation>
    </message>
    <message>
        <source>The call to correct is not on this laptop; the result was not saved.</source>
        <translation>La llamada que quieres corregir no está en esta computadora; el resultado no se guardó.</translation>
    </message>
    <message>
        <source>That call was corrected already; correct the newer one instead.</source>
        <translation>Esa llamada ya se corrigió; corrige la más reciente.</translation>
    </message>
    <message>
        <source>This number is on the do-not-call list and stays there: only an organizer can remove it. Nothing was saved.</source>
        <translation>Este número está en la lista de no llamar y ahí se queda: solo un organizador puede quitarlo. No se guardó nada.</translation>
    </message>
    <message>
        <source>Please write a message first.</source>
        <translation>Primero escribe un mensaje.</translation>
    </message>
    <message numerus="yes">
        <source>The message is too long (%n character(s); %1 max).</source>
        <translation>
            <numerusform>El mensaje es demasiado largo (%n carácter; máximo %1).</numerusform>
            <numerusform>El mensaje es demasiado largo (%n caracteres; máximo %1).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is not a language code (two or three letters, e.g. es).</source>
        <translation>%1 no es un código de idioma (dos o tres letras, p. ej. es).</translation>
    </message>
    <message>
        <source>At most %1 languages.</source>
        <translation>Como máximo %1 idiomas.</translation>
    </message>
    <message>
        <source>Phonebank is not translated into %1.</source>
        <translation>Phonebank no está traducido a %1.</translation>
    </message>
    <message>
        <source>The script has no %1 translation.</source>
        <translation>El guion no tiene traducción en %1.</translation>
    </message>
    <message>
        <source>The demo hub stopped while starting; see %1.</source>
        <translation>El hub de demostración se detuvo al iniciarse; mira %1.</translation>
    </message>
    <message>
        <source>The demo hub did not start in time; see %1.</source>
        <translation>El hub de demostración no se inició a tiempo; mira %1.</translation>
    </message>
    <message>
        <source>The demo hub could not be set up: %1</source>
        <translation>No se pudo preparar el hub de demostración: %1</translation>
    </message>
    <message>
        <source>The demo hub was not started: the app is closing.</source>
        <translation>No se inició el hub de demostración: la aplicación se está cerrando.</translation>
    </message>
    <message>
        <source>The demo hub could not be started (%1).</source>
        <translation>No se pudo iniciar el hub de demostración (%1).</translation>
    </message>
    <message>
        <source>Cannot open the data file %1: %2.</source>
        <translation>No se puede abrir el archivo de datos %1: %2.</translation>
    </message>
    <message>
        <source>The data file %1 is not a Phonebank database or is damaged (%2).</source>
        <translation>El archivo de datos %1 no es una base de datos de Phonebank o está dañado (%2).</translation>
    </message>
    <message>
        <source>The data file %1 is damaged (%2).</source>
        <translation>El archivo de datos %1 está dañado (%2).</translation>
    </message>
    <message>
        <source>Cannot create the data file %1: %2.</source>
        <translation>No se puede crear el archivo de datos %1: %2.</translation>
    </message>
    <message>
        <source>The data file %1 could not be read (%2).</source>
        <translation>No se pudo leer el archivo de datos %1 (%2).</translation>
    </message>
    <message>
        <source>The data file %1 was written by a newer version of Phonebank (schema %2, this app knows %3). Please upgrade the app.</source>
        <translation>El archivo de datos %1 lo escribió una versión más reciente de Phonebank (esquema %2; esta aplicación conoce hasta el %3). Actualiza la aplicación.</translation>
    </message>
</context>
<context>
    <name>tasks</name>
    <message>
        <source>Something went wrong. The details were written to the log file.</source>
        <translation>Algo salió mal. Los detalles quedaron en el archivo de registro.</translation>
    </message>
</context>
</TS>

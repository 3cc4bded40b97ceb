<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CampaignsScreen</name>
    <message numerus="yes">
        <source>%1 — %Ln number(s) left to call</source>
        <translation>
            <numerusform>%1 — %Ln number left to call</numerusform>
            <numerusform>%1 — %Ln numbers left to call</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactDelegate</name>
    <message numerus="yes">
        <source>  ·  tried %n×</source>
        <translation>
            <numerusform>  ·  tried %n×</numerusform>
            <numerusform>  ·  tried %n×</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln result(s)</source>
        <translation>
            <numerusform>%Ln result</numerusform>
            <numerusform>%Ln results</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln message(s) to the organizers</source>
        <translation>
            <numerusform>%Ln message to the organizers</numerusform>
            <numerusform>%Ln messages to the organizers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln result(s) have not reached the hub yet. If you sign out now they are deleted from this computer and lost.</source>
        <translation>
            <numerusform>%Ln result has not reached the hub yet. If you sign out now it is deleted from this computer and lost.</numerusform>
            <numerusform>%Ln results have not reached the hub yet. If you sign out now they are deleted from this computer and lost.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sign out and lose %Ln result(s)</source>
        <translation>
            <numerusform>Sign out and lose %Ln result</numerusform>
            <numerusform>Sign out and lose %Ln results</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MyListPanel</name>
    <message numerus="yes">
        <source>%1 · %2 of %n name(s) left to call</source>
        <translation>
            <numerusform>%1 · %2 of %n name left to call</numerusform>
            <numerusform>%1 · %2 of %n names left to call</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ScriptPanel</name>
    <message numerus="yes">
        <source>Question %n</source>
        <translation>
            <numerusform>Question %n</numerusform>
            <numerusform>Question %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusWidgets</name>
    <message numerus="yes">
        <source>%Ln result(s) waiting to send</source>
        <translation>
            <numerusform>%Ln result waiting to send</numerusform>
            <numerusform>%Ln results waiting to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The hub refused %Ln result(s). They are kept on this laptop and sent again when Phonebank next starts.</source>
        <translation>
            <numerusform>The hub refused %Ln result. It is kept on this laptop and sent again when Phonebank next starts.</numerusform>
            <numerusform>The hub refused %Ln results. They are kept on this laptop and sent again when Phonebank next starts.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorkScreen</name>
    <message numerus="yes">
        <source>Everyone has been called for now. %n person(s) who did not answer can be tried again from %1 (your list is held until %2).</source>
        <translation>
            <numerusform>Everyone has been called for now. %n person who did not answer can be tried again from %1 (your list is held until %2).</numerusform>
            <numerusform>Everyone has been called for now. %n people who did not answer can be tried again from %1 (your list is held until %2).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Give the %n name(s) you have not called back to the campaign, so other volunteers can call them? Results you recorded are kept.</source>
        <translation>
            <numerusform>Give the %n name you have not called back to the campaign, so other volunteers can call it? Results you recorded are kept.</numerusform>
            <numerusform>Give the %n names you have not called back to the campaign, so other volunteers can call them? Results you recorded are kept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You have had %n list(s) from %1 in the last hour, the most its organizers allow. You can ask for more names in %2.</source>
        <translation>
            <numerusform>You have had %n list from %1 in the last hour, the most its organizers allow. You can ask for more names in %2.</numerusform>
            <numerusform>You have had %n lists from %1 in the last hour, the most its organizers allow. You can ask for more names in %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You have had %n list(s) from %1 in the last 24 hours, the most its organizers allow. You can ask for more names in %2.</source>
        <translation>
            <numerusform>You have had %n list from %1 in the last 24 hours, the most its organizers allow. You can ask for more names in %2.</numerusform>
            <numerusform>You have had %n lists from %1 in the last 24 hours, the most its organizers allow. You can ask for more names in %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) sent</source>
        <translation>
            <numerusform>%n result sent</numerusform>
            <numerusform>%n results sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n name(s) reserved for you.</source>
        <translation>
            <numerusform>%n name reserved for you.</numerusform>
            <numerusform>%n names reserved for you.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many failed sign-in attempts. Please wait %n second(s) and try again (at %1 UTC).</source>
        <translation>
            <numerusform>Too many failed sign-in attempts. Please wait %n second and try again (at %1 UTC).</numerusform>
            <numerusform>Too many failed sign-in attempts. Please wait %n seconds and try again (at %1 UTC).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This laptop still has %n unsent result(s) for %1. Sign in as %1 so they can be sent first.</source>
        <translation>
            <numerusform>This laptop still has %n unsent result for %1. Sign in as %1 so they can be sent first.</numerusform>
            <numerusform>This laptop still has %n unsent results for %1. Sign in as %1 so they can be sent first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Too many attempts. Try again in %n minute.</numerusform>
            <numerusform>Too many attempts. Try again in %n minutes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You can get more names in %n second(s).</source>
        <translation>
            <numerusform>You can get more names in %n second.</numerusform>
            <numerusform>You can get more names in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You can get more names in %n minute(s).</source>
        <translation>
            <numerusform>You can get more names in %n minute.</numerusform>
            <numerusform>You can get more names in %n minutes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The hub&apos;s answer was not understood (%n problem(s)).</source>
        <translation>
            <numerusform>The hub&apos;s answer was not understood (%n problem).</numerusform>
            <numerusform>The hub&apos;s answer was not understood (%n problems).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Notes are too long (%n character(s); %1 max).</source>
        <translation>
            <numerusform>Notes are too long (%n character; %1 max).</numerusform>
            <numerusform>Notes are too long (%n characters; %1 max).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The message is too long (%n character(s); %1 max).</source>
        <translation>
            <numerusform>The message is too long (%n character; %1 max).</numerusform>
            <numerusform>The message is too long (%n characters; %1 max).</numerusform>
        </translation>
    </message>
</context>
</TS>
